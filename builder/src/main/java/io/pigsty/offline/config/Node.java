package io.pigsty.offline.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML value that remembers where it was written, so every config error can name the file and
 * line. {@code value} is a scalar (String, Integer, Long, Boolean, Double, or null), a
 * {@code Map<String, Node>} (ordered) or a {@code List<Node>}.
 */
public record Node(Object value, String file, int line) {

    public static Node synthetic(Object value, String origin) {
        return new Node(value, origin, 0);
    }

    /** {@code file:line}, or just the origin for values that came from the command line. */
    public String where() {
        return line > 0 ? file + ":" + line : file;
    }

    public boolean isNull() {
        return value == null;
    }

    public boolean isMap() {
        return value instanceof Map;
    }

    public boolean isList() {
        return value instanceof List;
    }

    @SuppressWarnings("unchecked")
    public Map<String, Node> map() {
        if (!isMap()) throw new ConfigException(where(), "expected a mapping here, found " + kind());
        return (Map<String, Node>) value;
    }

    @SuppressWarnings("unchecked")
    public List<Node> list() {
        if (!isList()) throw new ConfigException(where(), "expected a list here, found " + kind());
        return (List<Node>) value;
    }

    /** Scalars as text; YAML 1.1 turns {@code 9} into an int and {@code yes} into true, we read them back. */
    public String text() {
        if (isMap() || isList()) throw new ConfigException(where(), "expected a single value here, found " + kind());
        return value == null ? "" : String.valueOf(value);
    }

    public int integer() {
        if (value instanceof Number n) return n.intValue();
        try {
            return Integer.parseInt(text().trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(where(), "expected a number, found '" + text() + "'");
        }
    }

    /** Ansible-style truth: true/yes/on/1 (any case) are true. */
    public boolean bool() {
        if (value instanceof Boolean b) return b;
        if (value instanceof Number n) return n.intValue() != 0;
        String t = text().trim().toLowerCase();
        return t.equals("true") || t.equals("yes") || t.equals("on") || t.equals("1");
    }

    /** A list of strings, given either as a YAML list or as one comma/space separated string. */
    public List<String> words() {
        List<String> out = new ArrayList<>();
        if (isList()) {
            for (Node n : list()) out.addAll(n.words());
        } else if (!isNull()) {
            for (String w : text().split("[,\\s]+")) if (!w.isEmpty()) out.add(w);
        }
        return out;
    }

    public Node get(String key) {
        return isMap() ? map().get(key) : null;
    }

    public String kind() {
        if (value == null) return "nothing";
        if (isMap()) return "a mapping";
        if (isList()) return "a list";
        return "'" + value + "'";
    }

    /** Plain Java values (maps, lists, scalars) without positions, for output such as the manifest. */
    public Object plain() {
        if (isMap()) {
            Map<String, Object> m = new LinkedHashMap<>();
            map().forEach((k, v) -> m.put(k, v.plain()));
            return m;
        }
        if (isList()) return list().stream().map(Node::plain).toList();
        return value;
    }
}
