package io.pigsty.offline.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates the Jinja templates in the variables a build reads, as Ansible would when the repo role
 * uses them: against all the merged variables, following references into other variables.
 */
final class Templates {
    private static final int DEPTH = 16;

    private Templates() {}

    /** Replaces each of {@code keys} whose value holds a template by its value; notes "templated" in its origin. */
    static void evaluate(Map<String, Node> vars, List<String> keys, Map<String, String> origins) {
        for (String k : keys) {
            Node n = vars.get(k);
            if (n == null || !templated(n)) continue;
            vars.put(k, render(n, vars, 0));
            origins.computeIfPresent(k, (x, o) -> o + ", templated");
        }
    }

    private static boolean templated(Node n) {
        if (n.isMap()) return n.map().values().stream().anyMatch(Templates::templated);
        if (n.isList()) return n.list().stream().anyMatch(Templates::templated);
        return n.value() instanceof String s && Jinja.templated(s);
    }

    private static Node render(Node n, Map<String, Node> vars, int depth) {
        if (n.isMap()) {
            Map<String, Node> out = new LinkedHashMap<>();
            n.map().forEach((k, v) -> out.put(k, render(v, vars, depth)));
            return new Node(out, n.file(), n.line());
        }
        if (n.isList()) {
            List<Node> out = new ArrayList<>();
            for (Node x : n.list()) out.add(render(x, vars, depth));
            return new Node(out, n.file(), n.line());
        }
        if (!(n.value() instanceof String s) || !Jinja.templated(s)) return n;
        if (depth > DEPTH) throw new ConfigException(n.where(), "templates refer to each other more than " + DEPTH + " deep (a loop?)");
        try {
            return node(Jinja.render(s, name -> lookup(name, vars, depth + 1)), n.file(), n.line());
        } catch (Jinja.Unsupported e) {
            throw new ConfigException(n.where(), "cannot evaluate '" + s.strip() + "': " + e.getMessage()
                    + "; this builder evaluates variables, literals, ~ and +, and the filters default, list, join, split,"
                    + " reject, select, unique, sort, flatten, first, last, length, lower, upper, trim, replace, string, int;"
                    + " write the value out instead");
        }
    }

    private static Object lookup(String name, Map<String, Node> vars, int depth) {
        Node v = vars.get(name);
        if (v == null) return Jinja.UNDEFINED;
        return render(v, vars, depth).plain();
    }

    @SuppressWarnings("unchecked")
    private static Node node(Object v, String file, int line) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Node> out = new LinkedHashMap<>();
            ((Map<Object, Object>) m).forEach((k, x) -> out.put(String.valueOf(k), node(x, file, line)));
            return new Node(out, file, line);
        }
        if (v instanceof List<?> l) {
            List<Node> out = new ArrayList<>();
            for (Object x : l) out.add(node(x, file, line));
            return new Node(out, file, line);
        }
        return new Node(v, file, line);
    }
}
