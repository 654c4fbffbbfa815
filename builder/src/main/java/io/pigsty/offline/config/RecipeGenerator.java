package io.pigsty.offline.config;

import io.pigsty.bundle.Family;
import io.pigsty.offline.model.Log;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes {@code recipes/<os>.yml} and {@code repo-spec/<os>.yml} from a Pigsty source tree (its
 * {@code roles/node_id/vars/<os>.<arch>.yml} and {@code roles/repo/defaults/main.yml}), so a refresh
 * to a newer Pigsty is one command. The values are Pigsty's, unchanged, except that the default URL of
 * Ubuntu's own arm64 archive entries (module node, arch aarch64 only: the ports archive) becomes
 * {@code ${ubuntu_ports_mirror}/}: this project never writes an archive host down (the Debian hosts
 * arrive already replaced by {@code ${debian_mirror}}).
 */
public final class RecipeGenerator {
    /** A target this project builds, with the facts Pigsty's files do not state. */
    record Target(String os, Family family, int major, String codename, String distro) {}

    static final List<Target> TARGETS = List.of(
            new Target("el8", Family.RPM, 8, "", ""), new Target("el9", Family.RPM, 9, "", ""),
            new Target("el10", Family.RPM, 10, "", ""),
            new Target("d12", Family.DEB, 12, "bookworm", "debian"), new Target("d13", Family.DEB, 13, "trixie", "debian"),
            new Target("u22", Family.DEB, 22, "jammy", "ubuntu"), new Target("u24", Family.DEB, 24, "noble", "ubuntu"),
            new Target("u26", Family.DEB, 26, "resolute", "ubuntu"));
    static final List<String> ARCHES = List.of("x86_64", "aarch64");

    private RecipeGenerator() {}

    /**
     * The files to write, by path under the project home, for every target whose var files the tree
     * has. {@code source} names the Pigsty revision (null: read from the tree's README).
     */
    public static Map<String, String> generate(Path tree, String source, Log log) {
        Path vars = tree.resolve("roles/node_id/vars"), defaultsFile = tree.resolve("roles/repo/defaults/main.yml");
        if (!Files.isDirectory(vars) || !Files.isRegularFile(defaultsFile))
            throw new ConfigException(tree.toString(), "not a Pigsty source tree: roles/node_id/vars/ and roles/repo/defaults/main.yml are needed");
        String from = source != null ? source : source(tree);
        Map<String, Object> defaults = plainMap(YamlFile.load(defaultsFile, "roles/repo/defaults/main.yml", log));
        defaults.remove("repo_exists"); // the role's internal state, not a setting
        Map<String, String> out = new TreeMap<>();
        for (Target t : TARGETS) {
            Map<String, Map<String, Object>> byArch = new LinkedHashMap<>();
            for (String arch : ARCHES) {
                Path f = vars.resolve(t.os() + "." + arch + ".yml");
                if (Files.isRegularFile(f)) byArch.put(arch, plainMap(YamlFile.load(f, "roles/node_id/vars/" + f.getFileName(), log)));
            }
            if (!byArch.containsKey("x86_64")) continue;
            Map<String, Object> base = byArch.get("x86_64");
            Object upstream = base.remove("repo_upstream_default");
            if (!(upstream instanceof List<?> entries))
                throw new ConfigException("roles/node_id/vars/" + t.os() + ".x86_64.yml", "no repo_upstream_default list");
            for (Map<String, Object> other : byArch.values()) {
                if (other != base && !Objects.equals(other.remove("repo_upstream_default"), upstream))
                    throw new ConfigException("roles/node_id/vars/" + t.os() + ".aarch64.yml",
                            "repo_upstream_default differs from the x86_64 file; per-arch upstream lists are not supported");
            }
            out.put("recipes/" + t.os() + ".yml", recipe(t, from, defaults, byArch));
            out.put("repo-spec/" + t.os() + ".yml", spec(t, from, entries));
        }
        if (out.isEmpty()) throw new ConfigException(vars.toString(), "no <os>.x86_64.yml for any of " + TARGETS.stream().map(Target::os).toList());
        return out;
    }

    /** "Pigsty v4.5.0-4 (commit c73d321d)" from the README this project's copies carry. */
    private static String source(Path tree) {
        try {
            String readme = Files.readString(tree.resolve("README.md"));
            Matcher commit = Pattern.compile("commit\\s+`([0-9a-f]{7,40})`").matcher(readme);
            Matcher describe = Pattern.compile("`git describe`:\\s*(v[0-9][\\w.+-]*)").matcher(readme);
            if (commit.find()) return "Pigsty " + (describe.find() ? describe.group(1) + " " : "") + "(commit " + commit.group(1) + ")";
        } catch (java.io.IOException e) {
            // fall through to the error below
        }
        throw new ConfigException(tree.toString(), "cannot tell which Pigsty revision this is; pass --source 'Pigsty vX.Y.Z (commit ...)'");
    }

    private static String recipe(Target t, String from, Map<String, Object> defaults, Map<String, Map<String, Object>> byArch) {
        Map<String, Object> head = new LinkedHashMap<>();
        head.put("os", t.os());
        head.put("family", t.family().id());
        head.put("major", t.major());
        if (t.family() == Family.DEB) {
            head.put("codename", t.codename());
            head.put("distro_name", t.distro());
        }
        head.put("arches", List.copyOf(byArch.keySet()));
        head.put("repo_spec", List.of(t.os() + ".yml"));
        Map<String, Object> vars = new LinkedHashMap<>(defaults);
        vars.putAll(byArch.get("x86_64"));
        Map<String, Object> archVars = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, Object>> a : byArch.entrySet()) {
            if (a.getKey().equals("x86_64")) continue;
            Map<String, Object> diff = diff(byArch.get("x86_64"), a.getValue());
            if (!diff.isEmpty()) archVars.put(a.getKey(), diff);
        }
        StringBuilder b = new StringBuilder(header("recipes/" + t.os() + ".yml", from,
                "roles/repo/defaults/main.yml and roles/node_id/vars/" + t.os() + ".{" + String.join(",", byArch.keySet()) + "}.yml",
                "vars: the repo role's defaults overlaid with the x86_64 var file (Pigsty loads it with include_vars);\n"
                        + "# arch_vars: where another arch's file differs (package_map alias by alias; null removes one)."));
        b.append(block(head));
        b.append(block(Map.of("vars", vars)));
        if (!archVars.isEmpty()) b.append(block(Map.of("arch_vars", archVars)));
        return b.toString();
    }

    private static String spec(Target t, String from, List<?> entries) {
        StringBuilder b = new StringBuilder(header("repo-spec/" + t.os() + ".yml", from,
                "repo_upstream_default of roles/node_id/vars/" + t.os() + ".x86_64.yml (the same in every arch's file)",
                "entries whose releases name " + t.major() + "; Pigsty's schema, unchanged"
                        + (t.distro().equals("ubuntu") ? " but for the ports archive URL of the arm64 node entries:"
                        + " ${ubuntu_ports_mirror}/" : "") + "."));
        b.append("repo_upstream:\n");
        for (Object e : entries) {
            if (!(e instanceof Map<?, ?> m)) throw new ConfigException("repo_upstream_default", "an entry is not a mapping: " + e);
            Object rel = m.get("releases");
            if (rel instanceof List<?> l && !l.contains(t.major())) continue;
            b.append("  - ").append(FLOW.dump(t.distro().equals("ubuntu") ? ports(m) : m).trim()).append('\n');
        }
        return b.toString();
    }

    /** An arm64-only node entry (Ubuntu's ports archive) with its default URL replaced by the mirror variable. */
    private static Map<?, ?> ports(Map<?, ?> entry) {
        if (!"node".equals(entry.get("module")) || !List.of("aarch64").equals(entry.get("arch"))
                || !(entry.get("baseurl") instanceof Map<?, ?> urls) || !(urls.get("default") instanceof String url)) return entry;
        Map<Object, Object> copy = new LinkedHashMap<>(entry), u = new LinkedHashMap<>(urls);
        u.put("default", url.strip().replaceFirst("^\\S+", java.util.regex.Matcher.quoteReplacement("${ubuntu_ports_mirror}/")));
        copy.put("baseurl", u);
        return copy;
    }

    /** What {@code other} changes over {@code base}: whole keys, and package_map alias by alias. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> diff(Map<String, Object> base, Map<String, Object> other) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String k : union(base.keySet(), other.keySet())) {
            Object a = base.get(k), b = other.get(k);
            if (Objects.equals(a, b)) continue;
            if (k.equals("package_map") && a instanceof Map<?, ?> am && b instanceof Map<?, ?> bm) {
                Map<String, Object> aliases = new LinkedHashMap<>();
                for (String alias : union((java.util.Set<String>) am.keySet(), (java.util.Set<String>) bm.keySet()))
                    if (!Objects.equals(am.get(alias), bm.get(alias))) aliases.put(alias, bm.get(alias));
                out.put(k, aliases);
            } else {
                out.put(k, b);
            }
        }
        return out;
    }

    private static List<String> union(java.util.Set<String> a, java.util.Set<String> b) {
        List<String> out = new ArrayList<>(a);
        for (String k : b) if (!a.contains(k)) out.add(k);
        return out;
    }

    private static String header(String file, String from, String inputs, String what) {
        return "#==============================================================#\n"
                + "# " + file + ": generated by `./build recipes --from <pigsty tree>`; do not edit.\n"
                + "# Source : " + from + "\n"
                + "#          " + inputs + "\n"
                + "# " + what + "\n"
                + "#==============================================================#\n";
    }

    /** Mappings in block style, one key a line; lists of plain values on one line; values quoted by SnakeYAML. */
    private static String block(Map<String, Object> m) {
        StringBuilder b = new StringBuilder();
        emit(m, "", b);
        return b.toString();
    }

    private static final Yaml FLOW;

    static {
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.FLOW);
        o.setWidth(Integer.MAX_VALUE);
        FLOW = new Yaml(o);
    }

    private static void emit(Map<?, ?> m, String indent, StringBuilder b) {
        for (Map.Entry<?, ?> e : m.entrySet()) {
            b.append(indent).append(FLOW.dump(e.getKey()).trim()).append(':');
            Object v = e.getValue();
            if (v instanceof Map<?, ?> sub && !sub.isEmpty()) {
                b.append('\n');
                emit(sub, indent + "  ", b);
            } else if (v instanceof List<?> l && l.stream().anyMatch(x -> x instanceof Map || x instanceof List)) {
                b.append('\n');
                for (Object x : l) b.append(indent).append("  - ").append(FLOW.dump(x).trim()).append('\n');
            } else {
                b.append(' ').append(FLOW.dump(v).trim()).append('\n');
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> plainMap(Node n) {
        if (!n.isMap()) throw new ConfigException(n.where(), "expected a mapping of variables");
        return new LinkedHashMap<>((Map<String, Object>) n.plain());
    }
}
