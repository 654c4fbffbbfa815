package io.pigsty.offline.model;

/**
 * Epoch, version and release of a package or a versioned dependency. Debian versions map onto the
 * same three parts (epoch, upstream version, Debian revision). An empty release means "none given",
 * which matters for RPM dependency matching: a requirement without release matches any release.
 */
public record Evr(int epoch, String version, String release) {
    public static final Evr NONE = new Evr(0, "", "");

    public Evr {
        if (epoch < 0) throw new IllegalArgumentException("negative epoch " + epoch);
        version = version == null ? "" : version;
        release = release == null ? "" : release;
    }

    /** Written out, not generated: see {@link Dep#equals}. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Evr e && epoch == e.epoch && version.equals(e.version) && release.equals(e.release);
    }

    @Override
    public int hashCode() {
        return (epoch * 31 + version.hashCode()) * 31 + release.hashCode();
    }

    /**
     * Parses {@code [epoch:]version[-release]}; the release (Debian: revision) follows the last
     * hyphen. Both families write versions this way.
     */
    public static Evr parse(String text) {
        String s = text.trim();
        int colon = s.indexOf(':');
        int epoch = 0;
        if (colon > 0) {
            epoch = Integer.parseInt(s.substring(0, colon));
            s = s.substring(colon + 1);
        }
        int dash = s.lastIndexOf('-');
        return dash < 0 ? new Evr(epoch, s, "") : new Evr(epoch, s.substring(0, dash), s.substring(dash + 1));
    }

    public boolean hasRelease() {
        return !release.isEmpty();
    }

    /** The usual human form: {@code [epoch:]version[-release]}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        if (epoch != 0) b.append(epoch).append(':');
        b.append(version);
        if (!release.isEmpty()) b.append('-').append(release);
        return b.toString();
    }
}
