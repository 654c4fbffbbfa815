package io.pigsty.offline.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The small part of Jinja that Pigsty's inventories use for the keys a repo build reads, evaluated
 * the way Ansible templates a variable: a value that is one {@code {{ expression }}} becomes the
 * expression's own value (a list stays a list), text around expressions makes a string.
 * Expressions: variables, string/number/list literals, {@code ~} and {@code +}, parentheses, and the
 * filters {@code default d list join split reject select unique sort flatten first last length
 * lower upper trim replace string int}; {@code reject}/{@code select} take the tests {@code equalto
 * == ne != in match search}. Anything else is refused with the expression, never guessed.
 */
final class Jinja {
    /** Thrown for what this subset does not evaluate, or for an undefined variable. */
    static final class Unsupported extends RuntimeException {
        Unsupported(String message) {
            super(message);
        }
    }

    /** What a variable lookup returns for a name that is not defined. */
    static final Object UNDEFINED = new Object() {
        @Override
        public String toString() {
            return "undefined";
        }
    };

    private final String src;
    private final Function<String, Object> vars;
    private int pos;

    private Jinja(String src, Function<String, Object> vars) {
        this.src = src;
        this.vars = vars;
    }

    static boolean templated(String s) {
        return s.contains("{{") || s.contains("{%");
    }

    /** Renders {@code text}; {@code vars} resolves a name to its value or {@link #UNDEFINED}. */
    static Object render(String text, Function<String, Object> vars) {
        if (text.contains("{%")) throw new Unsupported("statements ({% ... %}) are not evaluated");
        String t = text.strip();
        if (t.startsWith("{{") && t.endsWith("}}") && t.indexOf("{{", 2) < 0) return eval(t.substring(2, t.length() - 2), vars);
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (true) {
            int open = text.indexOf("{{", i);
            if (open < 0) break;
            int close = text.indexOf("}}", open);
            if (close < 0) throw new Unsupported("'{{' is not closed");
            out.append(text, i, open).append(str(eval(text.substring(open + 2, close), vars)));
            i = close + 2;
        }
        return out.append(text.substring(i)).toString();
    }

    private static Object eval(String expr, Function<String, Object> vars) {
        Jinja j = new Jinja(expr, vars);
        Object v = j.concat();
        j.skip();
        if (j.pos < expr.length()) throw new Unsupported("cannot read '" + expr.substring(j.pos).strip() + "'");
        if (v == UNDEFINED) throw new Unsupported("a variable it uses is not defined");
        return v;
    }

    // ---- expressions: concat := sum ('~' sum)* ; sum := postfix (('+'|'-') postfix)* ----

    private Object concat() {
        Object v = sum();
        while (eat("~")) v = str(defined(v)) + str(defined(sum()));
        return v;
    }

    private Object sum() {
        Object v = postfix();
        while (true) {
            if (peek("+")) {
                pos++;
                v = plus(defined(v), defined(postfix()));
            } else if (peek("-") && !peek("-}")) {
                pos++;
                Object r = defined(postfix());
                if (!(v instanceof Number a) || !(r instanceof Number b)) throw new Unsupported("'-' needs numbers");
                v = a.longValue() - b.longValue();
            } else {
                return v;
            }
        }
    }

    private static Object plus(Object a, Object b) {
        if (a instanceof List<?> x && b instanceof List<?> y) {
            List<Object> out = new ArrayList<>(x);
            out.addAll(y);
            return out;
        }
        if (a instanceof String x && b instanceof String y) return x + y;
        if (a instanceof Number x && b instanceof Number y) return x.longValue() + y.longValue();
        throw new Unsupported("'+' joins two lists, two strings or two numbers, not " + kind(a) + " and " + kind(b));
    }

    private Object postfix() {
        Object v = primary();
        while (eat("|")) v = filter(name(), v);
        return v;
    }

    private Object primary() {
        skip();
        if (pos >= src.length()) throw new Unsupported("an expression ends too early");
        char c = src.charAt(pos);
        if (c == '(') {
            pos++;
            Object v = concat();
            expect(")");
            return v;
        }
        if (c == '[') {
            pos++;
            List<Object> out = new ArrayList<>();
            if (!eat("]")) {
                do out.add(defined(concat())); while (eat(","));
                expect("]");
            }
            return out;
        }
        if (c == '\'' || c == '"') return string(c);
        if (Character.isDigit(c)) {
            int s = pos;
            while (pos < src.length() && Character.isDigit(src.charAt(pos))) pos++;
            return Long.parseLong(src.substring(s, pos));
        }
        String n = name();
        switch (n) {
            case "true", "True" -> { return Boolean.TRUE; }
            case "false", "False" -> { return Boolean.FALSE; }
            case "none", "None" -> { return null; }
            default -> {
                if (peek("(") || peek(".") || peek("[")) throw new Unsupported("calls, attributes and indexes are not evaluated ('" + n + src.charAt(pos) + "')");
                return vars.apply(n);
            }
        }
    }

    private Object filter(String f, Object v) {
        List<Object> args = new ArrayList<>();
        if (eat("(")) {
            if (!eat(")")) {
                do args.add(concat()); while (eat(","));
                expect(")");
            }
        }
        switch (f) {
            case "default", "d" -> {
                boolean falsy = args.size() > 1 && Boolean.TRUE.equals(args.get(1));
                return v == UNDEFINED || falsy && !truthy(v) ? (args.isEmpty() ? "" : args.get(0)) : v;
            }
            case "list" -> { return list(defined(v)); }
            case "join" -> { return String.join(args.isEmpty() ? "" : str(args.get(0)), list(defined(v)).stream().map(Jinja::str).toList()); }
            case "split" -> {
                String s = str(defined(v));
                if (args.isEmpty()) return List.<Object>of(s.strip().split("\\s+"));
                return new ArrayList<Object>(List.of(s.split(Pattern.quote(str(args.get(0))), -1)));
            }
            case "reject", "select" -> {
                if (args.isEmpty()) throw new Unsupported(f + " needs a test, e.g. " + f + "('equalto', 'x')");
                String test = str(args.get(0));
                List<Object> out = new ArrayList<>();
                for (Object x : list(defined(v))) if (test(test, x, args.subList(1, args.size())) == f.equals("select")) out.add(x);
                return out;
            }
            case "unique" -> { return new ArrayList<>(new LinkedHashSet<>(list(defined(v)))); }
            case "sort" -> {
                List<Object> out = new ArrayList<>(list(defined(v)));
                out.sort((a, b) -> str(a).compareTo(str(b)));
                return out;
            }
            case "flatten" -> {
                List<Object> out = new ArrayList<>();
                flatten(list(defined(v)), out);
                return out;
            }
            case "first", "last" -> {
                List<Object> l = list(defined(v));
                if (l.isEmpty()) throw new Unsupported(f + " of an empty list");
                return f.equals("first") ? l.get(0) : l.get(l.size() - 1);
            }
            case "length", "count" -> {
                Object d = defined(v);
                return (long) (d instanceof String s ? s.length() : list(d).size());
            }
            case "lower" -> { return str(defined(v)).toLowerCase(java.util.Locale.ROOT); }
            case "upper" -> { return str(defined(v)).toUpperCase(java.util.Locale.ROOT); }
            case "trim" -> { return str(defined(v)).strip(); }
            case "string" -> { return str(defined(v)); }
            case "int" -> {
                try {
                    return Long.parseLong(str(defined(v)).strip());
                } catch (NumberFormatException e) {
                    return 0L;
                }
            }
            case "replace" -> {
                if (args.size() != 2) throw new Unsupported("replace takes two strings");
                return str(defined(v)).replace(str(args.get(0)), str(args.get(1)));
            }
            default -> throw new Unsupported("filter '" + f + "' is not evaluated");
        }
    }

    private static boolean test(String test, Object x, List<Object> args) {
        Object a = args.isEmpty() ? null : args.get(0);
        return switch (test) {
            case "equalto", "==", "eq" -> same(x, a);
            case "ne", "!=" -> !same(x, a);
            case "in" -> list(a).stream().anyMatch(y -> same(x, y));
            case "match" -> Pattern.compile(str(a)).matcher(str(x)).lookingAt();
            case "search" -> Pattern.compile(str(a)).matcher(str(x)).find();
            default -> throw new Unsupported("test '" + test + "' is not evaluated");
        };
    }

    private static boolean same(Object x, Object y) {
        if (x instanceof Number a && y instanceof Number b) return a.longValue() == b.longValue();
        return java.util.Objects.equals(x, y);
    }

    private static void flatten(List<?> in, List<Object> out) {
        for (Object x : in) {
            if (x instanceof List<?> l) flatten(l, out);
            else out.add(x);
        }
    }

    private static boolean truthy(Object v) {
        if (v == null || v == UNDEFINED || Boolean.FALSE.equals(v)) return false;
        if (v instanceof String s) return !s.isEmpty();
        if (v instanceof List<?> l) return !l.isEmpty();
        if (v instanceof Map<?, ?> m) return !m.isEmpty();
        if (v instanceof Number n) return n.doubleValue() != 0;
        return true;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object v) {
        if (v instanceof List<?> l) return (List<Object>) l;
        if (v instanceof String s) {
            List<Object> out = new ArrayList<>();
            s.codePoints().forEach(cp -> out.add(new String(Character.toChars(cp))));
            return out;
        }
        if (v instanceof Map<?, ?> m) return new ArrayList<>(m.keySet());
        throw new Unsupported("expected a list, found " + kind(v));
    }

    private static Object defined(Object v) {
        if (v == UNDEFINED) throw new Unsupported("a variable it uses is not defined (add '| default(...)')");
        return v;
    }

    static String str(Object v) {
        if (v == null) return "None";
        if (v instanceof Boolean b) return b ? "True" : "False";
        if (v instanceof List<?> l) {
            List<String> parts = new ArrayList<>();
            for (Object x : l) parts.add(x instanceof String s ? "'" + s + "'" : str(x));
            return "[" + String.join(", ", parts) + "]";
        }
        return String.valueOf(v);
    }

    private static String kind(Object v) {
        return v == null ? "none" : v instanceof List ? "a list" : v instanceof String ? "a string" : v instanceof Number ? "a number" : v.getClass().getSimpleName();
    }

    // ---- lexing ----

    private String string(char quote) {
        StringBuilder b = new StringBuilder();
        pos++;
        while (pos < src.length() && src.charAt(pos) != quote) {
            char c = src.charAt(pos++);
            if (c == '\\' && pos < src.length()) c = src.charAt(pos++);
            b.append(c);
        }
        if (pos >= src.length()) throw new Unsupported("a string is not closed");
        pos++;
        return b.toString();
    }

    private String name() {
        skip();
        int s = pos;
        while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) pos++;
        if (s == pos) throw new Unsupported("expected a name at '" + src.substring(s).strip() + "'");
        return src.substring(s, pos);
    }

    private void skip() {
        while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) pos++;
    }

    private boolean peek(String t) {
        skip();
        return src.startsWith(t, pos);
    }

    private boolean eat(String t) {
        if (!peek(t)) return false;
        pos += t.length();
        return true;
    }

    private void expect(String t) {
        if (!eat(t)) throw new Unsupported("expected '" + t + "' at '" + src.substring(Math.min(pos, src.length())).strip() + "'");
    }
}
