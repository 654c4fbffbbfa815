package io.pigsty.offline.build;

import io.pigsty.offline.format.BundleKey;
import io.pigsty.bundle.BundleLayout;
import io.pigsty.offline.config.Node;
import io.pigsty.offline.config.YamlFile;
import io.pigsty.offline.fetch.Cache;
import io.pigsty.offline.fetch.Progress;
import io.pigsty.offline.model.Checksum;
import io.pigsty.offline.model.Log;
import io.pigsty.offline.pack.Image;
import io.pigsty.offline.pack.Iso9660;
import io.pigsty.offline.pack.Seeds;
import io.pigsty.offline.pack.Delta;
import io.pigsty.offline.pack.Tarball;
import io.pigsty.offline.plan.BuildPlan;
import io.pigsty.offline.plan.Target;
import io.pigsty.offline.vm.Golden;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The published tree in, one kind of artifact out (several files for seeds). */
final class ArtifactStep {
    /** How the tarball is packed and where an image goes, validated. */
    /** How artifacts are made: the tarball's settings ({@code tarball.key()} signs the tree too) and the image's target. */
    record Packing(Tarball.Settings tarball, Image.Target image, Delta.Base since, Golden.Settings golden) {
        BundleKey key() {
            return tarball.key();
        }
    }

    /** Pigsty's bootstrap treats a /tmp/pkg.tgz under this size as a broken download and removes it. */
    static final long PIGSTY_BOOTSTRAP_MIN = 409_600_000L;

    private final ArtifactKind kind;
    private final BuildPlan plan;
    private final PublishStep.Published tree;
    private final Packing packing;
    private final Request request;
    private final Path dist;
    private final Cache cache;
    private final Reporter reporter;

    ArtifactStep(ArtifactKind kind, BuildPlan plan, PublishStep.Published tree, Packing packing, Request request, Path dist,
                 Cache cache, Reporter reporter) {
        this.kind = kind;
        this.plan = plan;
        this.tree = tree;
        this.packing = packing;
        this.request = request;
        this.dist = dist;
        this.cache = cache;
        this.reporter = reporter;
    }

    List<Artifact> call() throws IOException {
        Target t = plan.target();
        Path dir = dist.resolve(plan.version());
        String repoName = BundleLayout.repoName(plan.version(), t.os(), t.arch());
        switch (kind) {
            case TARBALL -> {
                Path tgz = dir.resolve(plan.bundleName() + packing.tarball().compression().suffix);
                // deltas of an earlier build of this bundle describe another tree: they go, a new one may follow
                if (Files.isDirectory(dir))
                    try (java.nio.file.DirectoryStream<Path> ds = Files.newDirectoryStream(dir, plan.bundleName() + ".delta-from-*")) {
                        for (Path old : ds) Files.deleteIfExists(old);
                    }
                Tarball.Result tar = Tarball.write(tree.repoDir(), BundleLayout.TOP, tgz, packing.tarball(), tree.mtime());
                reporter.info("tarball: " + tar.file() + " (" + Progress.size(tar.size()) + ", sha256 " + tar.sha256()
                        + (tar.parts().isEmpty() ? "" : ", in " + tar.parts().size() + " parts: join them with cat, or give the launcher "
                        + tar.file().getFileName()) + ")");
                if (tar.size() < PIGSTY_BOOTSTRAP_MIN)
                    reporter.warn("the tarball is smaller than " + PIGSTY_BOOTSTRAP_MIN + " bytes: Pigsty's own bootstrap script"
                            + " deletes a /tmp/pkg.tgz that small as invalid; install it with firstboot.sh, or extract it to /www"
                            + " before running bootstrap (README: Installing on the target)");
                List<Artifact> made = new ArrayList<>(List.of(new Artifact(kind, tar.file().toString(), tar.size(), tar.sha256())));
                if (packing.since() != null) made.add(delta(dir, t));
                return made;
            }
            case ISO -> {
                Path iso = dir.resolve(repoName + ".iso");
                Iso9660.write(Iso9660.tree(tree.repoDir(), BundleLayout.TOP + "/"), BundleLayout.isoLabel(t.os()), tree.mtime(), iso);
                reporter.info("iso: " + iso);
                return List.of(new Artifact(kind, iso.toString(), Files.size(iso), Checksum.sha256Of(iso)));
            }
            case IMAGE -> {
                Image.Target it = packing.image();
                Path tar = it.tar() != null ? it.tar() : dir.resolve(repoName + "." + it.archive().id() + ".tar");
                Image.Target target = new Image.Target(it.archive(), tar, it.push(),
                        it.tag() != null ? it.tag() : BundleLayout.imageTag(plan.version(), t.os(), t.arch()), it.base());
                Path jar = request.launcher()
                        ? LauncherPackage.jar(cache.work("launcher").resolve(LauncherPackage.JAR_FILE), tree.mtime()) : null;
                Image.Result img = Image.build(tree.repoDir(), jar, target, t.arch(), Image.labels(plan, tree.manifest()),
                        tree.mtime(), cache.work("image"), reporter.plain());
                boolean pushed = it.push() != null;
                reporter.info("image: " + img.layers() + " layers, " + img.digest() + (pushed ? " pushed to " + img.reference() : " in " + tar));
                return List.of(new Artifact(kind, pushed ? img.reference() + "@" + img.digest() : tar.toString(),
                        pushed ? 0 : Files.size(tar), img.digest()));
            }
            case SEED -> {
                Path inv = request.inventory();
                if (inv == null) {
                    reporter.plain().warn("no inventory (-i): no seeds made");
                    return List.of();
                }
                List<Seeds.Host> hosts = Seeds.hosts(inventory(inv));
                List<Path> isos = Seeds.write(hosts, Files.readAllBytes(inv), seedTemplates(request.home()),
                        dir.resolve(BundleLayout.SEED_DIR), tree.mtime(), packing.key() == null ? null : packing.key().publicKeyArmored());
                List<Artifact> made = new ArrayList<>();
                for (Path p : isos) made.add(new Artifact(kind, p.toString(), Files.size(p), Checksum.sha256Of(p)));
                return made;
            }
            case GOLDEN -> {
                Golden.Settings g = packing.golden();
                if (g == null) {
                    reporter.info("golden: no cloud image given (--base FILE.qcow2), so no golden image made");
                    return List.of();
                }
                Path work = cache.work("golden").resolve(plan.bundleName());
                Files.createDirectories(work);
                Path iso = work.resolve("repo.iso"), seed = work.resolve("prepare.iso");
                try {
                    Iso9660.write(Iso9660.tree(tree.repoDir(), BundleLayout.TOP + "/"), BundleLayout.isoLabel(t.os()), tree.mtime(), iso);
                    Path inv = request.inventory();
                    Seeds.prepare(seedTemplates(request.home()), request.home().resolve("overlays/golden"), inv == null ? null : inventory(inv),
                            inv == null ? null : Files.readAllBytes(inv), packing.key() == null ? null : packing.key().publicKeyArmored(),
                            "pigsty-golden-" + Checksum.sha256Hex(tree.manifest().getBytes(java.nio.charset.StandardCharsets.UTF_8)).substring(0, 16), tree.mtime(), seed);
                    Files.createDirectories(dir);
                    List<Artifact> made = new ArrayList<>();
                    for (Golden.Result r : Golden.build(g, t.arch(), new Golden.Media(iso, seed), work, dir,
                            BundleLayout.goldenName(plan.version(), t.os(), t.arch()), reporter.plain())) {
                        reporter.info("golden: " + r.file() + " (" + Progress.size(r.size()) + ", sha256 " + r.sha256()
                                + "; boot it with a host's seed from build seed; preparation console: " + r.console() + ")");
                        made.add(new Artifact(kind, r.file().toString(), r.size(), r.sha256()));
                    }
                    return made;
                } finally {
                    Files.deleteIfExists(iso);
                    Files.deleteIfExists(seed);
                }
            }
        }
        throw new IllegalStateException(kind.toString());
    }

    /** The delta against {@code --since}'s bundle, beside the full tarball. */
    private Artifact delta(Path dir, Target t) throws IOException {
        Delta.Base base = packing.since();
        Path staging = dir.resolve(".delta.tmp" + ProcessHandle.current().pid());
        try {
            int n = Delta.lay(tree.repoDir(), base, staging);
            Path out = dir.resolve(BundleLayout.deltaName(plan.version(), t.os(), t.arch(), base.version()) + packing.tarball().compression().suffix);
            Tarball.Result d = Tarball.write(staging.resolve(BundleLayout.TOP), BundleLayout.TOP, out, packing.tarball(), tree.mtime());
            reporter.info("delta: " + d.file() + " (" + Progress.size(d.size()) + ", " + n + " new package files; applies onto "
                    + base.name() + ")");
            return new Artifact(ArtifactKind.TARBALL, d.file().toString(), d.size(), d.sha256());
        } finally {
            Delta.clear(staging);
        }
    }

    /** An inventory read for its hosts: repeated host keys are errors, two hosts must not share an IP. */
    static Node inventory(Path inv) {
        return YamlFile.load(inv, inv.toString(), Log.QUIET, true);
    }

    static Path seedTemplates(Path home) {
        return home.resolve("overlays/seed");
    }
}
