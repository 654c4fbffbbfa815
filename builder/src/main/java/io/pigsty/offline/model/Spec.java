package io.pigsty.offline.model;

/**
 * One requested package spec as the user wrote it (a name, glob, name.arch, capability or
 * name-version), with where it came from ({@code recipes/el9.yml:14 via alias node-bootstrap}).
 */
public record Spec(String text, String origin) {
    public Spec {
        if (text == null || text.isBlank()) throw new IllegalArgumentException("empty package spec");
    }

    @Override
    public String toString() {
        return origin == null || origin.isEmpty() ? text : text + " (" + origin + ")";
    }
}
