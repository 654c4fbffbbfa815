package io.pigsty.offline.format.rpm;

import io.pigsty.offline.model.Dep;
import io.pigsty.offline.model.Evr;
import io.pigsty.offline.model.Op;
import io.pigsty.offline.model.Req;

import java.util.ArrayList;
import java.util.List;

/** RPM dependency syntax: metadata flags, EVR strings and rich (boolean) dependencies. */
public final class RpmDeps {
    private RpmDeps() {}

    /** Maps primary.xml's {@code flags} attribute ({@code EQ}, {@code GE}...) to an {@link Op}. */
    public static Op op(String flags) {
        if (flags == null || flags.isEmpty()) return Op.ANY;
        return switch (flags) {
            case "EQ" -> Op.EQ;
            case "LT" -> Op.LT;
            case "LE" -> Op.LE;
            case "GT" -> Op.GT;
            case "GE" -> Op.GE;
            default -> throw new IllegalArgumentException("unknown dependency flags '" + flags + "'");
        };
    }

    /** The metadata spelling of an {@link Op}, null for unversioned. */
    public static String flags(Op op) {
        return op == Op.ANY ? null : op.name();
    }

    /** One requirement from metadata: a plain capability, or a rich dependency when it starts with '('. */
    public static Req requirement(String name, Op op, Evr evr) {
        if (name.startsWith("(")) return rich(name);
        return Req.atom(Dep.of(name, op, evr));
    }

    /** Parses a rich dependency such as {@code (pkgA >= 1.2 or (pkgB if pkgC))}. */
    public static Req rich(String text) {
        Parser p = new Parser(text);
        Req r = p.term();
        if (p.peek() != null) throw p.error("unexpected '" + p.peek() + "'");
        return r;
    }

    private static final class Parser {
        private final String text;
        private final List<String> tokens = new ArrayList<>();
        private int pos;

        Parser(String text) {
            this.text = text;
            StringBuilder cur = new StringBuilder();
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '(' || c == ')' || Character.isWhitespace(c)) {
                    // A '(' inside a word belongs to it: perl(Foo::Bar), libc.so.6()(64bit).
                    if ((c == '(' || c == ')') && cur.length() > 0 && (c == ')' ? depth(cur) > 0 : true)) {
                        cur.append(c);
                        continue;
                    }
                    if (cur.length() > 0) {
                        tokens.add(cur.toString());
                        cur.setLength(0);
                    }
                    if (c == '(' || c == ')') tokens.add(String.valueOf(c));
                } else {
                    cur.append(c);
                }
            }
            if (cur.length() > 0) tokens.add(cur.toString());
        }

        /** Open parentheses inside the current word that a ')' may still close. */
        private static int depth(CharSequence word) {
            int d = 0;
            for (int i = 0; i < word.length(); i++) {
                if (word.charAt(i) == '(') d++;
                else if (word.charAt(i) == ')') d--;
            }
            return d;
        }

        String peek() {
            return pos < tokens.size() ? tokens.get(pos) : null;
        }

        String next() {
            if (pos >= tokens.size()) throw error("unexpected end");
            return tokens.get(pos++);
        }

        IllegalArgumentException error(String what) {
            return new IllegalArgumentException("bad rich dependency '" + text + "': " + what);
        }

        Req term() {
            if ("(".equals(peek())) {
                next();
                Req r = expr();
                if (!")".equals(next())) throw error("missing ')'");
                return r;
            }
            return Req.atom(atom());
        }

        Dep atom() {
            String name = next();
            if (name.equals(")") || name.equals("(") || keyword(name)) throw error("expected a name, got '" + name + "'");
            String op = peek();
            Op o = switch (op == null ? "" : op) {
                case "<" -> Op.LT;
                case "<=" -> Op.LE;
                case "=", "==" -> Op.EQ;
                case ">=" -> Op.GE;
                case ">" -> Op.GT;
                default -> Op.ANY;
            };
            if (o == Op.ANY) return Dep.of(name);
            next();
            return Dep.of(name, o, Evr.parse(next()));
        }

        /** Whether {@code r} can be judged on one package alone (as rpm and libsolv judge with/without operands). */
        private static boolean singlePackage(Req r) {
            if (r instanceof Req.Atom) return true;
            if (r instanceof Req.Any a) return a.parts().stream().allMatch(Parser::singlePackage);
            if (r instanceof Req.All a) return a.parts().stream().allMatch(Parser::singlePackage);
            if (r instanceof Req.With w) return w.parts().stream().allMatch(Parser::singlePackage);
            if (r instanceof Req.Without w) return singlePackage(w.what()) && singlePackage(w.not());
            return false;
        }

        private static boolean keyword(String s) {
            return switch (s) {
                case "and", "or", "if", "else", "unless", "with", "without" -> true;
                default -> false;
            };
        }

        Req expr() {
            Req first = term();
            String op = peek();
            if (op == null || op.equals(")")) return first;
            switch (op) {
                case "and", "or", "with" -> {
                    List<Req> parts = new ArrayList<>(List.of(first));
                    while (op.equals(peek())) {
                        next();
                        parts.add(term());
                    }
                    if (op.equals("and")) return new Req.All(parts);
                    if (op.equals("or")) return new Req.Any(parts);
                    for (Req r : parts) if (!singlePackage(r)) throw error("'with' joins what one package can satisfy");
                    return new Req.With(parts);
                }
                case "without" -> {
                    next();
                    Req second = term();
                    if (!singlePackage(first) || !singlePackage(second))
                        throw error("'without' joins what one package can satisfy");
                    return new Req.Without(first, second);
                }
                case "if", "unless" -> {
                    next();
                    Req cond = term();
                    Req otherwise = null;
                    if ("else".equals(peek())) {
                        next();
                        otherwise = term();
                    }
                    return new Req.Cond(first, cond, otherwise, op.equals("unless"));
                }
                default -> throw error("unknown operator '" + op + "'");
            }
        }
    }
}
