package io.pigsty.offline.build;

import io.pigsty.offline.format.BundleKey;
import io.pigsty.bundle.BundleLayout;
import io.pigsty.offline.config.ConfigException;
import io.pigsty.offline.format.IndexSet;
import io.pigsty.offline.model.Checksum;
import io.pigsty.offline.model.Package;
import io.pigsty.offline.plan.BuildPlan;
import io.pigsty.offline.repo.Manifest;
import io.pigsty.offline.repo.RepoTree;
import io.pigsty.offline.repo.Sbom;
import io.pigsty.offline.model.Secrets;
import io.pigsty.offline.plan.Target;
import io.pigsty.offline.solve.Resolution;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Verified files in, the published repo tree out: the index (records carried from upstream), the
 * extra files, {@code manifest.json} and {@code repo_complete}, swapped into place whole.
 */
final class PublishStep {
    /** The published tree: where, its manifest text and the fixed time of its files. */
    record Published(Path repoDir, String manifest, long mtime) {}

    private final java.util.Set<Sbom.Kind> sboms;
    private final BuildPlan plan;
    private final Resolution resolution;
    private final int droppedRecords;
    private final List<Manifest.Baseline> baselines;
    private final IndexSet index;
    private final List<RepoTree.Item> items;
    private final Map<String, Path> extras;
    private final long mtime;
    private final Path repoDir;
    private final BundleKey key;
    private final Reporter reporter;

    /** {@code index} has a local copy of every file the format's writer carries records from. */
    PublishStep(BuildPlan plan, Resolution resolution, int droppedRecords, List<Manifest.Baseline> baselines, IndexSet index, List<RepoTree.Item> items, Map<String, Path> extras,
                long mtime, Path repoDir, BundleKey key, java.util.Set<Sbom.Kind> sboms, Reporter reporter) {
        this.sboms = sboms;
        this.plan = plan;
        this.resolution = resolution;
        this.droppedRecords = droppedRecords;
        this.baselines = baselines;
        this.index = index;
        this.items = items;
        this.extras = extras;
        this.mtime = mtime;
        this.repoDir = repoDir;
        this.key = key;
        this.reporter = reporter;
    }

    Published call() throws IOException {
        Map<Package, String> sha = new LinkedHashMap<>();
        for (RepoTree.Item it : items) sha.put(it.shipped().pkg(), it.shipped().sha256());
        Map<String, String> extraSums = new LinkedHashMap<>();
        for (Map.Entry<String, Path> x : extras.entrySet()) extraSums.put(x.getKey(), Checksum.sha256Of(x.getValue()));
        String manifest = Manifest.write(plan, resolution, droppedRecords, baselines, sha, extraSums, reporter.warnings());
        Map<String, String> inputs = new LinkedHashMap<>();
        extraSums.forEach((path, sum) -> inputs.put(path, "sha256:" + sum));
        inputs.put("requested", String.join(" ", plan.specs().stream().map(s -> s.text()).toList()));
        for (var r : plan.repos()) inputs.put("repo:" + r.name(), String.join(" ", r.urls().stream().map(Secrets::redact).toList()));
        Target t = plan.target();
        Sbom.Subject subject = new Sbom.Subject(plan.bundleName(), plan.version(), t.os(),
                t.codename() != null && !t.codename().isEmpty() ? t.codename() : t.os(), t.arch(), t.family().id(), Build.VERSION, mtime, inputs, sboms);
        RepoTree.publish(repoDir, items, extras, t.format(), index, mtime, manifest, subject, key, reporter.plain());
        if (key != null) reporter.info("signed with " + key.fingerprint() + " (public key in " + BundleLayout.BUNDLE_KEY + ")");
        reporter.info("repo: " + items.size() + " packages in " + repoDir);
        return new Published(repoDir, manifest, mtime);
    }

    /**
     * Files laid into the bundle besides packages: the firstboot.sh stub (with the launcher), the
     * inventory given with -i, the Pigsty source tarball.
     */
    static Map<String, Path> extras(Request r) {
        Map<String, Path> x = new LinkedHashMap<>();
        if (r.launcher()) x.put(BundleLayout.FIRSTBOOT, r.home().resolve("overlays").resolve(BundleLayout.FIRSTBOOT));
        if (r.inventory() != null) x.put(BundleLayout.INVENTORY, r.inventory());
        if (r.pigstySrc() != null) {
            if (!Files.isRegularFile(r.pigstySrc()))
                throw new ConfigException("--pigsty-src", r.pigstySrc() + " is not a file");
            String name = r.pigstySrc().getFileName().toString();
            if (!name.endsWith(".tgz") && !name.endsWith(".tar.gz"))
                throw new ConfigException("--pigsty-src", name + ": expected Pigsty's source tarball (pigsty-<version>.tgz)");
            x.put(BundleLayout.SRC_DIR + "/" + name, r.pigstySrc());
        }
        for (Map.Entry<String, Path> e : x.entrySet())
            if (!Files.isRegularFile(e.getValue())) throw new ConfigException(e.getKey(), e.getValue() + " is missing");
        return x;
    }
}
