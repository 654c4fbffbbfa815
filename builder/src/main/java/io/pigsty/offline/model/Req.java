package io.pigsty.offline.model;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A requirement: a single capability or a boolean combination. RPM rich dependencies and Debian
 * alternatives ({@code a | b}) both map onto this tree, so the resolver knows neither syntax.
 */
public sealed interface Req {
    /** Needs one package providing {@code dep}. */
    record Atom(Dep dep) implements Req {
        /** Written out, not generated, as every Req's: see {@link Dep#equals}. */
        @Override
        public boolean equals(Object o) {
            return o instanceof Atom a && java.util.Objects.equals(dep, a.dep);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hashCode(dep);
        }

        @Override
        public String toString() {
            return dep.toString();
        }
    }

    /** Needs every part. */
    record All(List<Req> parts) implements Req {
        @Override
        public boolean equals(Object o) {
            return o instanceof All a && java.util.Objects.equals(parts, a.parts);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hashCode(parts);
        }

        @Override
        public String toString() {
            return join(parts, " and ");
        }
    }

    /** Needs at least one part; earlier parts are preferred. */
    record Any(List<Req> parts) implements Req {
        @Override
        public boolean equals(Object o) {
            return o instanceof Any a && java.util.Objects.equals(parts, a.parts);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hashCode(parts);
        }

        @Override
        public String toString() {
            return join(parts, " or ");
        }
    }

    /**
     * {@code then if cond else otherwise} ({@code negate=false}) or {@code then unless cond else otherwise}
     * ({@code negate=true}); {@code otherwise} may be null.
     */
    record Cond(Req then, Req cond, Req otherwise, boolean negate) implements Req {
        @Override
        public boolean equals(Object o) {
            return o instanceof Cond c && java.util.Objects.equals(then, c.then) && java.util.Objects.equals(cond, c.cond)
                    && java.util.Objects.equals(otherwise, c.otherwise) && negate == c.negate;
        }

        @Override
        public int hashCode() {
            return ((java.util.Objects.hashCode(then) * 31 + java.util.Objects.hashCode(cond)) * 31 + java.util.Objects.hashCode(otherwise)) * 31
                    + Boolean.hashCode(negate);
        }

        @Override
        public String toString() {
            String s = "(" + then + (negate ? " unless " : " if ") + cond;
            return otherwise == null ? s + ")" : s + " else " + otherwise + ")";
        }
    }

    /**
     * One single package must satisfy every part; each part is judged on that package alone (a part
     * may itself be an {@code or}, as in {@code ((foo < 2 or foo > 2) with foo >= 1)}).
     */
    record With(List<Req> parts) implements Req {
        @Override
        public boolean equals(Object o) {
            return o instanceof With w && java.util.Objects.equals(parts, w.parts);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hashCode(parts);
        }

        @Override
        public String toString() {
            return "(" + parts.stream().map(Req::toString).collect(Collectors.joining(" with ")) + ")";
        }
    }

    /** One single package must satisfy {@code what} but not {@code not}, both judged on that package alone. */
    record Without(Req what, Req not) implements Req {
        @Override
        public boolean equals(Object o) {
            return o instanceof Without w && java.util.Objects.equals(what, w.what) && java.util.Objects.equals(not, w.not);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hashCode(what) * 31 + java.util.Objects.hashCode(not);
        }

        @Override
        public String toString() {
            return "(" + what + " without " + not + ")";
        }
    }

    static Req atom(Dep dep) {
        return new Atom(dep);
    }

    /**
     * The capabilities meeting {@code r} may install: every atom but those of a condition ({@code if},
     * {@code unless}) and of a {@code without}, which are only tested.
     */
    static List<Dep> needed(Req r) {
        List<Dep> out = new java.util.ArrayList<>();
        needed(r, out);
        return out;
    }

    private static void needed(Req r, List<Dep> out) {
        // Java 17 has no pattern switch: walk the sealed tree with instanceof.
        if (r instanceof Atom a) {
            out.add(a.dep());
        } else if (r instanceof All a) {
            a.parts().forEach(x -> needed(x, out));
        } else if (r instanceof Any a) {
            a.parts().forEach(x -> needed(x, out));
        } else if (r instanceof Cond c) {
            needed(c.then(), out);
            if (c.otherwise() != null) needed(c.otherwise(), out);
        } else if (r instanceof With w) {
            w.parts().forEach(x -> needed(x, out));
        } else if (r instanceof Without w) {
            needed(w.what(), out);
        }
    }

    private static String join(List<Req> parts, String sep) {
        return "(" + parts.stream().map(Req::toString).collect(Collectors.joining(sep)) + ")";
    }
}
