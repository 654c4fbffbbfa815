package io.pigsty.offline.model;

import java.util.List;

/**
 * An upstream repository as the resolver and fetcher see it: its name, its priority (lower is better,
 * as in yum; Debian pins are mapped onto the same scale) and its mirror base URLs, tried in order.
 */
public record Repo(String name, int priority, List<String> baseUrls) {
    public static final int DEFAULT_PRIORITY = 99;
    /** What a target host has installed (a baseline): never hidden by, and never hiding, a repo's packages. */
    public static final Repo INSTALLED = new Repo("@installed", Integer.MAX_VALUE, List.of("file:///"));

    public Repo {
        baseUrls = List.copyOf(baseUrls);
        if (baseUrls.isEmpty()) throw new IllegalArgumentException("repo " + name + " has no base URL");
    }

    /** Written out, not generated: see {@link Dep#equals}. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Repo r && java.util.Objects.equals(name, r.name) && priority == r.priority && baseUrls.equals(r.baseUrls);
    }

    @Override
    public int hashCode() {
        return (java.util.Objects.hashCode(name) * 31 + priority) * 31 + baseUrls.hashCode();
    }
}
