package io.pigsty.offline.config;

import io.pigsty.bundle.Family;
import io.pigsty.offline.format.deb.DebFormat;
import io.pigsty.offline.model.Log;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Loads and merges a build's input: {@code recipes/<os>.yml}, the repo-spec files it names, an
 * optional inventory (a whole Pigsty {@code pigsty.yml} with {@code all.vars}, or a plain vars file),
 * and command-line values. Precedence: CLI &gt; inventory &gt; recipe's per-arch vars &gt; recipe vars.
 */
public final class ConfigLoader {
    /** What the command line asked for. */
    public record Request(Path home, String os, String arch, Path inventory, Map<String, String> extraVars,
                          Map<String, String> mirrors, Path hostRoot) {
        public Request(Path home, String os, String arch, Path inventory, Map<String, String> extraVars, Map<String, String> mirrors) {
            this(home, os, arch, inventory, extraVars, mirrors, Path.of("/"));
        }
    }

    private ConfigLoader() {}

    public static Config load(Request req, Log log) {
        Path recipes = req.home().resolve("recipes");
        Path recipeFile = recipes.resolve(req.os() + ".yml");
        if (req.os() == null || !req.os().matches("[a-z0-9]+") || !Files.isRegularFile(recipeFile))
            throw new ConfigException("--os", "unknown target '" + req.os() + "'; available: "
                    + String.join(", ", available(recipes)) + " (one recipe per file in " + recipes + ")");
        Node recipeNode = YamlFile.load(recipeFile, rel(req.home(), recipeFile), log);
        Config.Recipe recipe = recipe(recipeNode, req.os(), recipeFile);
        // Pigsty names arches x86_64/aarch64; Debian's names are accepted too.
        String arch = req.arch() == null ? recipe.arches().get(0) : DebFormat.pigstyArch(req.arch());
        if (!recipe.arches().contains(arch))
            throw new ConfigException("--arch", "target " + recipe.os() + " has no arch '" + req.arch()
                    + "'; choose one of " + String.join(", ", recipe.arches()));

        Map<String, Node> vars = new LinkedHashMap<>();
        Map<String, Node> packageMap = new LinkedHashMap<>();
        overlay(vars, packageMap, recipeNode.get("vars"));
        Node archVars = recipeNode.get("arch_vars");
        if (archVars != null && archVars.isMap()) overlay(vars, packageMap, archVars.map().get(arch));

        List<Config.Upstream> upstream = new ArrayList<>();
        Node specs = required(recipeNode, "repo_spec");
        for (String name : specs.words()) {
            Path f = req.home().resolve("repo-spec").resolve(name);
            if (!f.normalize().startsWith(req.home().resolve("repo-spec").normalize()) || !Files.isRegularFile(f))
                throw new ConfigException(specs.where(), "repo-spec file '" + name + "' not found under repo-spec/");
            Node spec = YamlFile.load(f, rel(req.home(), f), log);
            upstream.addAll(upstreams(required(spec, "repo_upstream")));
        }

        if (req.inventory() != null) {
            Node inv = YamlFile.load(req.inventory(), req.inventory().toString(), log);
            Node invVars = inventoryVars(inv);
            if (invVars != null) {
                overlay(vars, packageMap, invVars);
                Node own = invVars.get("repo_upstream");
                if (own != null && !own.isNull()) upstream = upstreams(own); // Pigsty: the user's list replaces the default
            }
        }
        for (Map.Entry<String, String> e : req.extraVars().entrySet()) {
            Node v = Node.synthetic(e.getValue(), "command line (" + e.getKey() + ")");
            if (e.getKey().equals("package_map")) throw new ConfigException("-e", "package_map cannot be set on the command line");
            vars.put(e.getKey(), v);
        }
        vars.remove("package_map");
        vars.remove("repo_upstream");
        if (recipe.family() == Family.DEB) {
            // A host of the same distro lends its own apt mirrors to variables the user left unset.
            for (Map.Entry<String, String[]> m : HostApt.mirrors(req.hostRoot(), recipe.distroName()).entrySet()) {
                Node cur = vars.get(m.getKey());
                if (cur == null || cur.isNull() || cur.text().isBlank())
                    vars.put(m.getKey(), Node.synthetic(m.getValue()[0], "the build host's apt sources (" + m.getValue()[1] + ")"));
            }
        }
        return new Config(recipe, arch, vars, packageMap, List.copyOf(upstream), Map.copyOf(req.mirrors()), req.inventory());
    }

    private static List<String> available(Path recipes) {
        try (Stream<Path> s = Files.list(recipes)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yml"))
                    .map(n -> n.substring(0, n.length() - 4)).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String rel(Path home, Path f) {
        Path h = home.toAbsolutePath().normalize(), p = f.toAbsolutePath().normalize();
        return p.startsWith(h) ? h.relativize(p).toString() : p.toString();
    }

    private static Config.Recipe recipe(Node n, String os, Path file) {
        if (!n.isMap()) throw new ConfigException(n.where(), "a recipe must be a mapping of os, family, major, arches, repo_spec, vars");
        Node osNode = required(n, "os");
        if (!osNode.text().equals(os))
            throw new ConfigException(osNode.where(), "recipe says os '" + osNode.text() + "' but the file is " + os + ".yml");
        Node familyNode = required(n, "family");
        Family family = Family.byId(familyNode.text());
        if (family == null)
            throw new ConfigException(familyNode.where(), "family must be rpm or deb, not '" + familyNode.text() + "'");
        int major = required(n, "major").integer();
        List<String> arches = required(n, "arches").words();
        if (arches.isEmpty()) throw new ConfigException(n.get("arches").where(), "arches lists no arch");
        Node codename = n.get("codename");
        Node distro = n.get("distro_name");
        required(n, "vars").map();
        return new Config.Recipe(os, family, major, codename == null ? "" : codename.text(),
                distro == null ? "" : distro.text(), List.copyOf(arches), file);
    }

    static Node required(Node parent, String key) {
        Node n = parent.get(key);
        if (!parent.isMap()) throw new ConfigException(parent.where(), "expected a mapping with '" + key + "'");
        if (n == null || n.isNull()) throw new ConfigException(parent.where(), "missing required key '" + key + "'");
        return n;
    }

    /** {@code all.vars} of a Pigsty inventory, or the whole file when it is a plain vars mapping. */
    private static Node inventoryVars(Node inv) {
        if (!inv.isMap()) throw new ConfigException(inv.where(), "an inventory must be a mapping (Pigsty's pigsty.yml, or a vars file)");
        Node all = inv.get("all");
        if (all == null) return inv;
        if (!all.isMap()) throw new ConfigException(all.where(), "'all' must be a mapping with vars and children");
        Node v = all.get("vars");
        if (v == null || v.isNull()) return null;
        v.map();
        return v;
    }

    /** Lays {@code src} over the vars; {@code package_map} merges alias by alias (null removes one). */
    private static void overlay(Map<String, Node> vars, Map<String, Node> packageMap, Node src) {
        if (src == null || src.isNull()) return;
        for (Map.Entry<String, Node> e : src.map().entrySet()) {
            if (e.getKey().equals("package_map") && !e.getValue().isNull()) {
                for (Map.Entry<String, Node> alias : e.getValue().map().entrySet()) {
                    if (alias.getValue().isNull()) packageMap.remove(alias.getKey());
                    else packageMap.put(alias.getKey(), alias.getValue());
                }
            } else {
                vars.put(e.getKey(), e.getValue());
            }
        }
    }

    private static List<Config.Upstream> upstreams(Node list) {
        List<Config.Upstream> out = new ArrayList<>();
        for (Node e : list.list()) {
            if (!e.isMap()) throw new ConfigException(e.where(), "a repo_upstream entry must be a mapping {name, module, releases, arch, baseurl}");
            String name = required(e, "name").text();
            Node base = required(e, "baseurl");
            if (!base.isMap()) throw new ConfigException(base.where(), "repo '" + name + "': baseurl must be a mapping {default: URL, china: URL, ...}");
            Node rel = e.get("releases"), arch = e.get("arch"), module = e.get("module"), meta = e.get("meta");
            List<Integer> releases = new ArrayList<>();
            if (rel != null) for (Node r : rel.isList() ? rel.list() : List.of(rel)) releases.add(r.integer());
            out.add(new Config.Upstream(name, module == null ? "" : module.text(),
                    List.copyOf(releases), arch == null ? List.of() : arch.words(), base.map(),
                    meta == null || meta.isNull() ? Map.of() : meta.map(), e));
        }
        return out;
    }
}
