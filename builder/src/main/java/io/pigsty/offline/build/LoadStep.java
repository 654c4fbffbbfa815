package io.pigsty.offline.build;

import io.pigsty.offline.format.Format;
import io.pigsty.offline.metadata.MetaSource;
import io.pigsty.offline.metadata.Metadata;
import io.pigsty.offline.metadata.MetadataLoader;
import io.pigsty.offline.metadata.Prefetch;
import io.pigsty.offline.model.Log;
import io.pigsty.offline.plan.BuildPlan;
import io.pigsty.offline.plan.PlannedRepo;

import java.io.IOException;
import java.util.List;

/** Plan in, metadata out: every selected repo's index read into the universe. */
final class LoadStep {
    private final BuildPlan plan;
    private final MetaSource source;
    private final Prefetch prefetch;
    private final Log log;
    private final boolean allowExpired;

    LoadStep(BuildPlan plan, MetaSource source, Prefetch prefetch, boolean allowExpired, Log log) {
        this.plan = plan;
        this.source = source;
        this.prefetch = prefetch;
        this.allowExpired = allowExpired;
        this.log = log;
    }

    Metadata call() throws IOException {
        List<Format.Source> sources = plan.repos().stream().map(PlannedRepo::source).map(s -> !allowExpired || s.dist() == null ? s
                : new Format.Source(s.repo(), s.excludes(), s.moduleHotfixes(), s.skipIfUnavailable(), s.dist().allowingExpired())).toList();
        Metadata m = MetadataLoader.load(sources, plan.target().format(), plan.target().nativeArch(), source, log, prefetch);
        log.info("metadata: " + m.universe().packages().size() + " packages available");
        // libsolv leaves out a record it cannot read and goes on; so do we, and say which.
        for (String d : m.dropped()) log.warn(d);
        return m;
    }
}
