package io.pigsty.offline.build;

import io.pigsty.offline.config.ConfigException;
import io.pigsty.offline.format.IndexSet;

/** The one place a build's fixed time comes from. */
final class Timestamps {
    /** Artifacts that depend on no metadata (seeds) still need a fixed date: 2020-01-01T00:00:00Z. */
    static final long NO_METADATA = 1577836800L;

    private Timestamps() {}

    /** SOURCE_DATE_EPOCH (the reproducible-builds convention) when set, else {@code fallback}. */
    static long sourceDate(long fallback) {
        String env = System.getenv("SOURCE_DATE_EPOCH");
        if (env == null || env.isBlank()) return fallback;
        long t;
        try {
            t = Long.parseLong(env.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException("SOURCE_DATE_EPOCH", "must be seconds since 1970, not '" + env + "'");
        }
        if (t < 0 || t > IndexSet.LATEST)
            throw new ConfigException("SOURCE_DATE_EPOCH", t + " is outside 0.." + IndexSet.LATEST + " (what a tar header can hold)");
        return t;
    }
}
