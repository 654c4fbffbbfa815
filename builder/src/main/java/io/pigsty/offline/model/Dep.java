package io.pigsty.offline.model;

/**
 * One capability with an optional version relation: a provide, a simple requirement, a conflict or
 * an obsolete. {@code archQualifier} carries Debian's {@code :any}/{@code :native}/{@code :arch}
 * suffix and is null for RPM.
 */
public record Dep(String name, Op op, Evr evr, String archQualifier) {
    public Dep {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("empty dependency name");
        if (op == null) op = Op.ANY;
        if (evr == null || op == Op.ANY) evr = Evr.NONE;
    }

    public static Dep of(String name) {
        return new Dep(name, Op.ANY, Evr.NONE, null);
    }

    public static Dep of(String name, Op op, Evr evr) {
        return new Dep(name, op, evr, null);
    }

    public boolean versioned() {
        return op != Op.ANY;
    }

    /** A file-path capability: RPM resolves these against package file lists. */
    public boolean isFile() {
        return name.charAt(0) == '/';
    }

    /*
     * equals and hashCode of the model's records are written out, not generated: a record's generated
     * ones are bootstrapped through method handles at first use, 10-25 ms for the first record on a
     * cold JVM and several ms for each other one, about 0.1 s of a warm plan in all (README,
     * Performance). Each keeps the generated semantics and hash formula (31 * h + each component's),
     * so hash-ordered output is unchanged; an enum component hashes by ordinal, not identity.
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof Dep d && name.equals(d.name) && op == d.op && evr.equals(d.evr)
                && java.util.Objects.equals(archQualifier, d.archQualifier);
    }

    @Override
    public int hashCode() {
        return ((name.hashCode() * 31 + op.ordinal()) * 31 + evr.hashCode()) * 31 + java.util.Objects.hashCode(archQualifier);
    }

    @Override
    public String toString() {
        String n = archQualifier == null ? name : name + ":" + archQualifier;
        return op == Op.ANY ? n : n + " " + op.symbol() + " " + evr;
    }
}
