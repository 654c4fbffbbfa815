package io.pigsty.offline.model;

/**
 * One requested package spec as the user wrote it (a name, glob, name.arch, capability or
 * name-version), with where it came from ({@code recipes/el9.yml:14 via alias node-bootstrap}).
 */
public record Spec(String text, String origin) {
    public Spec {
        if (text == null || text.isBlank()) throw new IllegalArgumentException("empty package spec");
    }

    /** Written out, not generated: see {@link Dep#equals}. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Spec s && text.equals(s.text) && java.util.Objects.equals(origin, s.origin);
    }

    @Override
    public int hashCode() {
        return text.hashCode() * 31 + java.util.Objects.hashCode(origin);
    }

    @Override
    public String toString() {
        return origin == null || origin.isEmpty() ? text : text + " (" + origin + ")";
    }
}
