package io.pigsty.offline.cli;

import io.pigsty.offline.model.EditDistance;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One command's options: their names, what they take, where a value goes; it parses an argument
 * list and prints the command's help. Written here rather than taken from picocli: picocli's first
 * use (its classes are Java 5 bytecode, and it builds every command model by reflection) cost about
 * 0.1 s of each start, a sixth of a warm plan (README, Performance).
 *
 * <p>Accepted forms: {@code --name VALUE}, {@code --name=VALUE}, {@code -x VALUE}, {@code -xVALUE},
 * flags alone; {@code --} ends the options. Every command takes {@code -h/--help} and
 * {@code -V/--version}.
 */
final class Args {
    /** A usage error: the message for the user, who is then pointed at the command's help. */
    static final class Usage extends Exception {
        Usage(String message) {
            super(message);
        }
    }

    /** What a parse asked for besides running the command. */
    enum Outcome { RUN, HELP, VERSION }

    /** One option; {@code label} is null for a flag (its setter then gets null). */
    private record Opt(List<String> names, String label, String help, Consumer<String> set, boolean required) {
        String display() {
            return String.join(", ", names);
        }

        String longest() {
            return names.get(names.size() - 1);
        }
    }

    private final String command;
    private final String description;
    private final List<Opt> opts = new ArrayList<>();

    Args(String command, String description) {
        this.command = command;
        this.description = description;
        flag("-h,--help", "Show this help and exit.", () -> {});
        flag("-V,--version", "Print the version and exit.", () -> {});
    }

    /** A flag: {@code names} comma-separated, short names first. */
    Args flag(String names, String help, Runnable set) {
        opts.add(new Opt(List.of(names.split(",")), null, help, v -> set.run(), false));
        return this;
    }

    /** An option with a value, shown as {@code label} in the help; repeatable when its setter collects. */
    Args value(String names, String label, String help, Consumer<String> set) {
        opts.add(new Opt(List.of(names.split(",")), label, help, set, false));
        return this;
    }

    /** An option that must be given. */
    Args required(String names, String label, String help, Consumer<String> set) {
        opts.add(new Opt(List.of(names.split(",")), label, help, set, true));
        return this;
    }

    /**
     * Parses {@code argv}, handing each value to its option. Help and version win over everything
     * else, mistakes included: someone asking for help while getting the line wrong wants the help.
     */
    Outcome parse(List<String> argv) throws Usage {
        int end = argv.indexOf("--");
        List<String> before = end < 0 ? argv : argv.subList(0, end);
        if (before.contains("-h") || before.contains("--help")) return Outcome.HELP;
        if (before.contains("-V") || before.contains("--version")) return Outcome.VERSION;
        Set<Opt> given = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        List<Runnable> sets = new ArrayList<>(); // applied once the whole line is known to be valid
        for (int i = 0; i < argv.size(); i++) {
            String a = argv.get(i);
            if (a.equals("--")) {
                if (i + 1 < argv.size()) throw new Usage("unexpected argument '" + argv.get(i + 1) + "'");
                break;
            }
            if (!a.startsWith("-") || a.equals("-")) throw new Usage("unexpected argument '" + a + "'");
            Opt o = null;
            String value = null;
            int eq = a.indexOf('=');
            for (Opt c : opts) {
                if (c.names.contains(eq > 0 ? a.substring(0, eq) : a)) {
                    o = c;
                    if (eq > 0) value = a.substring(eq + 1);
                    break;
                }
                // -j8, -ipigsty.yml: a short option's value attached
                if (c.label != null && !a.startsWith("--"))
                    for (String n : c.names)
                        if (n.length() == 2 && a.length() > 2 && a.startsWith(n)) {
                            o = c;
                            value = a.substring(2);
                        }
                if (o != null) break;
            }
            if (o == null) throw new Usage("unknown option '" + (eq > 0 ? a.substring(0, eq) : a) + "'" + suggestion(eq > 0 ? a.substring(0, eq) : a));
            if (o.label == null) {
                if (value != null) throw new Usage(o.longest() + " takes no value");
            } else if (value == null) {
                if (i + 1 >= argv.size()) throw new Usage(o.longest() + " needs a value (" + o.label + ")");
                value = argv.get(++i);
            }
            given.add(o);
            Opt opt = o;
            String v = value;
            sets.add(() -> opt.set.accept(v));
        }
        for (Opt o : opts) if (o.required && !given.contains(o)) throw new Usage(o.longest() + " is required (" + o.label + ")");
        try {
            for (Runnable s : sets) s.run();
        } catch (IllegalArgumentException e) {
            throw new Usage(e.getMessage());
        }
        return Outcome.RUN;
    }

    private String suggestion(String name) {
        List<String> names = new ArrayList<>();
        for (Opt o : opts) names.addAll(o.names);
        String best = closest(name, names);
        return best == null ? "" : "; did you mean '" + best + "'?";
    }

    /** The one of {@code names} nearest {@code word}, at most two edits away; null when none is. */
    static String closest(String word, List<String> names) {
        String best = null;
        int bestDistance = 3;
        for (String n : names) {
            int d = EditDistance.of(word, n);
            if (d < bestDistance) {
                best = n;
                bestDistance = d;
            }
        }
        return best;
    }

    /** The command's help: usage, description and every option, wrapped at 100 columns. */
    String help() {
        StringBuilder b = new StringBuilder("Usage: build ").append(command).append(" [OPTIONS]\n");
        wrap(b, description, 0, 100);
        b.append("\nOptions:\n");
        List<String> heads = new ArrayList<>();
        int width = 0;
        for (Opt o : opts) {
            String head = (o.names.get(0).startsWith("--") ? "    " : "") + o.display() + (o.label == null ? "" : "=" + o.label);
            heads.add(head);
            width = Math.max(width, Math.min(head.length(), 30));
        }
        for (int i = 0; i < opts.size(); i++) {
            String head = heads.get(i);
            b.append("  ").append(head);
            int indent = width + 4;
            if (head.length() > width) b.append('\n').append(" ".repeat(indent));
            else b.append(" ".repeat(indent - 2 - head.length()));
            wrapRest(b, opts.get(i).help, indent, 100);
        }
        return b.toString();
    }

    /** {@code text} in lines of at most {@code columns}, each indented by {@code indent}. */
    static void wrap(StringBuilder b, String text, int indent, int columns) {
        b.append(" ".repeat(indent));
        wrapRest(b, text, indent, columns);
    }

    /** As {@link #wrap}, the first line's indent already written. */
    private static void wrapRest(StringBuilder b, String text, int indent, int columns) {
        int col = indent;
        boolean first = true;
        for (String word : text.split(" ")) {
            if (word.isEmpty()) continue;
            if (!first && col + 1 + word.length() > columns) {
                b.append('\n').append(" ".repeat(indent));
                col = indent;
                first = true;
            }
            if (!first) {
                b.append(' ');
                col++;
            }
            b.append(word);
            col += word.length();
            first = false;
        }
        b.append('\n');
    }

    // Converters for setters: each throws IllegalArgumentException with the option named, which parse() reports.

    static int integer(String option, String v) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": '" + v + "' is not a whole number");
        }
    }

    static Path path(String v) {
        try {
            return Path.of(v);
        } catch (java.nio.file.InvalidPathException e) {
            throw new IllegalArgumentException("'" + v + "' is not a path: " + e.getReason());
        }
    }

    /** {@code KEY=VALUE} into {@code into}, the key being what precedes the first {@code =}. */
    static void entry(String option, String v, Map<String, String> into) {
        int eq = v.indexOf('=');
        if (eq <= 0) throw new IllegalArgumentException(option + ": expected KEY=VALUE, got '" + v + "'");
        into.put(v.substring(0, eq), v.substring(eq + 1));
    }

    /** A comma-separated value's parts, empty ones dropped. */
    static List<String> split(String v) {
        List<String> out = new ArrayList<>();
        for (String p : v.split(",")) if (!p.isBlank()) out.add(p.trim());
        return out;
    }
}
