package io.pigsty.offline.build;

import io.pigsty.offline.format.IndexFile;
import io.pigsty.offline.format.IndexSet;
import io.pigsty.offline.model.Checksum;
import io.pigsty.offline.model.Secrets;
import io.pigsty.offline.model.Spec;
import io.pigsty.offline.plan.BuildPlan;
import io.pigsty.offline.plan.PlannedRepo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a selection was made from, one sha256 per part, for the lock: the target, the repos, the
 * requested names, the inventory file, the flags that steer the solve, and the upstream metadata
 * read. A lock whose parts differ from the build's is stale, and the differing parts are named.
 * Everything recipe, repo-spec, inventory and -e change reaches one of the first four.
 */
final class Inputs {
    /** Parts a lock build compares; {@link #METADATA} is upstream's and only reported. */
    static final String METADATA = "metadata";

    private Inputs() {}

    static Map<String, String> of(Request r, BuildPlan plan) throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("target", sha(plan.target().os() + " " + plan.target().arch() + " " + plan.version()));
        StringBuilder repos = new StringBuilder();
        for (PlannedRepo p : plan.repos())
            repos.append(p.name()).append(' ').append(p.priority()).append(' ').append(String.join(" ", p.urls().stream()
                    .map(Secrets::redact).toList())).append(' ').append(p.excludes()).append('\n');
        m.put("repos", sha(repos.toString()));
        StringBuilder specs = new StringBuilder();
        for (Spec s : plan.specs()) specs.append(s.text()).append('\n');
        for (Spec s : plan.firstBoot()) specs.append("firstboot ").append(s.text()).append('\n');
        plan.urlPackages().forEach(u -> specs.append("url ").append(Secrets.redact(u.url())).append('\n'));
        m.put("requested", sha(specs.toString()));
        m.put("inventory", r.inventory() == null ? "none" : Checksum.sha256Of(r.inventory()));
        StringBuilder flags = new StringBuilder("weak_deps=" + r.weakDeps() + " skip_missing=" + r.skipMissing() + " launcher="
                + r.launcher() + " empty_root=" + r.hosts().emptyRoot());
        for (Path b : r.hosts().baselines()) flags.append(" baseline=").append(Files.isRegularFile(b) ? Checksum.sha256Of(b) : b.toString());
        m.put("flags", sha(flags.toString()));
        return m;
    }

    /** The digest of every upstream index file read (the lock records it; a later day differs, as expected). */
    static String metadata(IndexSet index) {
        StringBuilder b = new StringBuilder();
        for (IndexFile f : index.files()) b.append(f.repo().name()).append(' ').append(f.path()).append(' ').append(f.checksum()).append('\n');
        return sha(b.toString());
    }

    private static String sha(String s) {
        return HexFormat.of().formatHex(Checksum.digest("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }
}
