package io.pigsty.offline.config;

import io.pigsty.bundle.Family;
import io.pigsty.offline.format.deb.DebFormat;
import io.pigsty.offline.model.EditDistance;
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
    /**
     * What the command line asked for. {@code host}: the inventory host whose vars count (null: the
     * first host of group infra, where Pigsty builds its repo).
     */
    public record Request(Path home, String os, String arch, Path inventory, Map<String, String> extraVars,
                          Map<String, String> mirrors, Path hostRoot, String host) {
        public Request(Path home, String os, String arch, Path inventory, Map<String, String> extraVars, Map<String, String> mirrors) {
            this(home, os, arch, inventory, extraVars, mirrors, Path.of("/"), null);
        }

        public Request(Path home, String os, String arch, Path inventory, Map<String, String> extraVars, Map<String, String> mirrors,
                       Path hostRoot) {
            this(home, os, arch, inventory, extraVars, mirrors, hostRoot, null);
        }
    }

    /** The variables a repo build reads: templates in them are evaluated, and where each came from is told. */
    public static final List<String> REPO_KEYS = List.of("version", "region", "pg_version", "repo_modules", "repo_upstream",
            "repo_packages", "repo_extra_packages", "repo_url_packages");

    /** Pigsty's {@code x | default(x_default)} for these keys: the recipe's default when the inventory sets none. */
    private static final Map<String, String> DEFAULTED = Map.of("repo_packages", "repo_packages_default",
            "repo_extra_packages", "repo_extra_packages_default");

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
        Map<String, String> origins = new LinkedHashMap<>();
        String recipeLabel = "recipe " + rel(req.home(), recipeFile);
        overlay(vars, packageMap, recipeNode.get("vars"), origins, recipeLabel);
        Node archVars = recipeNode.get("arch_vars");
        if (archVars != null && archVars.isMap()) overlay(vars, packageMap, archVars.map().get(arch), origins, recipeLabel + " (" + arch + ")");
        Map<String, Node> recipeAliases = Map.copyOf(packageMap);

        List<Config.Upstream> upstream = new ArrayList<>();
        Node specs = required(recipeNode, "repo_spec");
        for (String name : specs.words()) {
            Path f = req.home().resolve("repo-spec").resolve(name);
            if (!f.normalize().startsWith(req.home().resolve("repo-spec").normalize()) || !Files.isRegularFile(f))
                throw new ConfigException(specs.where(), "repo-spec file '" + name + "' not found under repo-spec/");
            Node spec = YamlFile.load(f, rel(req.home(), f), log);
            upstream.addAll(upstreams(required(spec, "repo_upstream")));
        }

        origins.put("repo_upstream", "repo-spec " + String.join(", ", specs.words()));
        String host = null;
        if (req.inventory() != null) {
            Inventory.Vars inv = Inventory.of(YamlFile.load(req.inventory(), req.inventory().toString(), log), req.host(),
                    req.inventory().toString());
            host = inv.host();
            for (Inventory.Layer layer : inv.layers()) {
                typos(layer.vars(), log);
                overlay(vars, packageMap, layer.vars(), origins, layer.label());
            }
        } else if (req.host() != null) {
            throw new ConfigException("--host", "names a host of an inventory: give the inventory with -i");
        }
        List<String> changed = new ArrayList<>();
        for (Map.Entry<String, Node> a : packageMap.entrySet())
            if (!recipeAliases.containsKey(a.getKey()) || !a.getValue().plain().equals(recipeAliases.get(a.getKey()).plain()))
                changed.add(a.getKey());
        for (String a : recipeAliases.keySet()) if (!packageMap.containsKey(a)) changed.add(a);
        if (!changed.isEmpty())
            log.warn("the inventory changes package_map aliases " + String.join(", ", changed) + ": applied here, though Pigsty"
                    + " itself ignores an inventory's package_map (its per-OS vars, loaded with include_vars, outrank inventory vars)");
        for (Map.Entry<String, String> e : req.extraVars().entrySet()) {
            Node v = Node.synthetic(e.getValue(), "command line (" + e.getKey() + ")");
            if (e.getKey().equals("package_map")) throw new ConfigException("-e", "package_map cannot be set on the command line");
            vars.put(e.getKey(), v);
            origins.put(e.getKey(), "command line (-e)");
        }
        Templates.evaluate(vars, REPO_KEYS, origins);
        for (Map.Entry<String, String> d : DEFAULTED.entrySet()) {
            Node v = vars.get(d.getKey());
            if (v == null && vars.containsKey(d.getValue())) {
                vars.put(d.getKey(), vars.get(d.getValue()));
                origins.put(d.getKey(), origins.getOrDefault(d.getValue(), recipeLabel) + " (" + d.getValue() + ")");
            }
        }
        Node own = vars.get("repo_upstream");
        if (own != null && !own.isNull()) upstream = upstreams(own); // Pigsty: the user's list replaces the default
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
        Config.Keys keys = recipe.family() == Family.DEB
                ? new Config.Keys(knownKeys(req.home(), log), HostApt.trustedKeys(req.hostRoot()), List.of())
                : new Config.Keys(knownKeys(req.home(), log), List.of(), rpmHostKeys(req.hostRoot()));
        Map<String, String> told = new LinkedHashMap<>();
        for (String k : REPO_KEYS) if (origins.containsKey(k)) told.put(k, origins.get(k));
        return new Config(recipe, arch, vars, packageMap, List.copyOf(upstream), Map.copyOf(req.mirrors()), req.inventory(), keys,
                host, told);
    }

    /** Keys a repo build reads, whose misspellings are worth a warning. */
    private static final List<String> KNOWN = List.of("version", "region", "pg_version", "repo_modules", "repo_upstream",
            "repo_packages", "repo_extra_packages", "repo_url_packages", "package_map", "firstboot", "admin_ip");

    /** Warns about a key one or two letters away from a key the build reads ({@code repo_pakages}). */
    private static void typos(Node vars, Log log) {
        if (vars == null || !vars.isMap()) return;
        for (Map.Entry<String, Node> e : vars.map().entrySet()) {
            String k = e.getKey();
            if (KNOWN.contains(k)) continue;
            for (String known : KNOWN)
                if (Math.abs(known.length() - k.length()) <= 2 && EditDistance.of(k, known) <= 2) {
                    log.warn(e.getValue().where() + ": '" + k + "' is not a key this build reads; did you mean '" + known + "'?");
                    break;
                }
        }
    }

    /** The RPM keys an EL build host has ({@code /etc/pki/rpm-gpg/}), as its own dnf may be pointed at them. */
    private static List<Path> rpmHostKeys(Path root) {
        Path dir = root.resolve("etc/pki/rpm-gpg");
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** {@code repo-spec/keys/keys.yml}: which shipped (or host) key signs which repos; none when absent. */
    private static List<Config.Known> knownKeys(Path home, Log log) {
        Path dir = home.resolve("repo-spec").resolve("keys"), index = dir.resolve("keys.yml");
        if (!Files.isRegularFile(index)) return List.of();
        Node list = YamlFile.load(index, rel(home, index), log, true);
        List<Config.Known> out = new ArrayList<>();
        for (Node e : list.list()) {
            Node file = required(e, "file"), distro = e.get("distro"), urls = e.get("urls"), fam = e.get("families");
            Path f = dir.resolve(file.text().trim()).normalize();
            if (!f.isAbsolute() || !f.startsWith(dir) && !f.startsWith("/usr/share/keyrings"))
                throw new ConfigException(file.where(), "a key is a file under repo-spec/keys/ or /usr/share/keyrings/");
            if (f.startsWith(dir) && !Files.isRegularFile(f)) throw new ConfigException(file.where(), f + " not found");
            java.util.Set<Family> families = java.util.EnumSet.noneOf(Family.class);
            for (String w : fam == null ? List.of("deb") : fam.words()) {
                Family f1 = Family.byId(w);
                if (f1 == null) throw new ConfigException(fam.where(), "families lists rpm and deb, not '" + w + "'");
                families.add(f1);
            }
            out.add(new Config.Known(f, families, urls == null ? List.of() : urls.words(), distro == null ? "" : distro.text().trim()));
        }
        return out;
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

    /**
     * Lays {@code src} over the vars, noting {@code label} as each key's origin; {@code package_map}
     * merges alias by alias (null removes one).
     */
    private static void overlay(Map<String, Node> vars, Map<String, Node> packageMap, Node src, Map<String, String> origins,
                                String label) {
        if (src == null || src.isNull()) return;
        for (Map.Entry<String, Node> e : src.map().entrySet()) {
            origins.put(e.getKey(), e.getValue().line() > 0 ? e.getValue().where() + " (" + label + ")" : label);
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
