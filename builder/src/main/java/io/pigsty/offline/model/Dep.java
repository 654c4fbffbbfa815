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

    @Override
    public String toString() {
        String n = archQualifier == null ? name : name + ":" + archQualifier;
        return op == Op.ANY ? n : n + " " + op.symbol() + " " + evr;
    }
}
