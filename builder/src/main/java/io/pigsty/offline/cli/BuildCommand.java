package io.pigsty.offline.cli;

import io.pigsty.offline.build.ArtifactKind;
import io.pigsty.offline.build.Output;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The one build command: resolve, fetch, publish the repo tree once, and make the artifacts asked
 * for. It is registered as {@code offline} (the tarball), {@code iso}, {@code image}, {@code golden} and {@code all},
 * which differ only in the default of {@code --artifacts}.
 */
final class BuildCommand implements Command {
    final Common common = new Common();
    Set<ArtifactKind> artifacts = EnumSet.noneOf(ArtifactKind.class);
    Path repoDir;
    Path dist;
    Path pigstySrc;
    String compress = "gzip";
    Integer level;
    Integer threads;
    List<String> formats;
    String push;
    String tag;
    List<Path> bases;
    String size;
    int vmTimeout = 60;
    String vmAccel = "auto";
    Path lock;
    Path since;
    String split;
    List<String> sbom;
    Path signKey = envPath("PIGSTY_SIGN_KEY");
    Path signPassphraseFile;

    private final String name;
    private final String description;
    private final Set<ArtifactKind> defaults;

    BuildCommand(String name, String description, Set<ArtifactKind> defaults) {
        this.name = name;
        this.description = description;
        this.defaults = EnumSet.copyOf(defaults);
    }

    private static Path envPath(String name) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? null : Path.of(v);
    }

    @Override
    public Args args() {
        return common.options(new Args(name, description))
                .value("--artifacts", "KIND", "What to make from the repo: tarball, iso, image, seed, golden (comma-separated; default: this"
                        + " command's).", v -> {
                            for (String k : Args.split(v)) artifacts.add(kind(k));
                        })
                .value("--repo-dir", "DIR", "Where the repo tree goes (default: <home>/output/www/pigsty).", v -> repoDir = Args.path(v))
                .value("--dist", "DIR", "Where artifacts go, under <version>/ (default: <home>/output/dist).", v -> dist = Args.path(v))
                .value("--pigsty-src", "FILE", "Embed this Pigsty source tarball (pigsty-<version>.tgz) under src/ for the launcher to"
                        + " extract.", v -> pigstySrc = Args.path(v))
                .value("--compress", "KIND", "Tarball compression: gzip, zstd or none (default: gzip).", v -> compress = v)
                .value("--level", "N", "Compression level (gzip 0-9, default 0: stored, packages are compressed already; zstd 1-19,"
                        + " default 3).", v -> level = Args.integer("--level", v))
                .value("--threads", "N", "Compression threads (default: all cores).", v -> threads = Args.integer("--threads", v))
                .value("--format", "FORMAT", "Container image: docker (docker-archive tar, the default) or oci (OCI archive tar); golden"
                        + " image: qcow2 (compressed, the default) or raw.", v -> formats = more(formats, Args.split(v)))
                .value("--push", "REF", "Push the image to a registry instead (REGISTRY/REPO:TAG; credentials from the docker config).",
                        v -> push = v)
                .value("--tag", "NAME", "The name inside the image tar (default: pigsty/repo:<version>-<os>-<arch>).", v -> tag = v)
                .value("--base", "FILE", "A cloud image (qcow2 or raw) for the golden image to start from; a docker-save tar to build the"
                        + " container image on instead of scratch. Repeatable: each is taken by its content.",
                        v -> bases = more(bases, List.of(Args.path(v))))
                .value("--size", "+N", "Grow the golden image's disk by this much (+4G, +512M); its cloud-init grows the root file system"
                        + " on boot.", v -> size = v)
                .value("--vm-timeout", "MIN", "The longest the golden image's preparation VM may run (default: 60 minutes).",
                        v -> vmTimeout = Args.integer("--vm-timeout", v))
                .value("--vm-accel", "ACCEL", "The golden image's VM: auto (KVM when /dev/kvm works, else TCG), kvm or tcg (default: auto).",
                        v -> vmAccel = v)
                .value("--lock", "FILE", "Build exactly the packages of this lock (plan --json): no metadata, no solve; refused when it is"
                        + " stale.", v -> lock = Args.path(v))
                .value("--since", "OLD", "Also write a delta against this earlier bundle (its tarball or manifest.json): only what changed.",
                        v -> since = Args.path(v))
                .value("--split", "SIZE", "Write the tarball as parts of at most SIZE (bytes, 4G, 700M, dvd, dvd-dl, bd, fat32) with a"
                        + " <name>.parts.json.", v -> split = v)
                .value("--sbom", "FORMAT", "The SBOM formats in the tree: cyclonedx (sbom.cdx.json, the default), spdx (sbom.spdx.json,"
                        + " SPDX 2.3), or both: cyclonedx,spdx.", v -> sbom = more(sbom, Args.split(v)))
                .value("--sign-key", "FILE", "Sign the bundle with this OpenPGP secret key (armored or binary; default: $PIGSTY_SIGN_KEY;"
                        + " make one with build keygen).", v -> signKey = Args.path(v))
                .value("--sign-passphrase-file", "FILE", "The key's passphrase, first line of FILE (default: $PIGSTY_SIGN_PASSPHRASE, else"
                        + " none).", v -> signPassphraseFile = Args.path(v));
    }

    /** {@code list} with {@code more} appended: a repeated option adds to the earlier ones. */
    private static <T> List<T> more(List<T> list, List<T> more) {
        List<T> out = list == null ? new ArrayList<>() : list;
        out.addAll(more);
        return out;
    }

    private static ArtifactKind kind(String k) {
        for (ArtifactKind a : ArtifactKind.values()) if (a.id().equals(k.toLowerCase(Locale.ROOT))) return a;
        List<String> ids = new ArrayList<>();
        for (ArtifactKind a : ArtifactKind.values()) ids.add(a.id());
        throw new IllegalArgumentException("--artifacts: unknown kind '" + k + "'; one of " + String.join(", ", ids));
    }

    @Override
    public int call(PrintWriter out, PrintWriter err) throws Exception {
        Set<ArtifactKind> kinds = artifacts.isEmpty() ? defaults : artifacts;
        Output o = new Output(repoDir, dist, kinds, compress, level, threads, new Output.ImageOptions(formats, bases, push, tag, size, vmTimeout, vmAccel),
                signKey, signPassphraseFile, split, lock, since, sbom);
        out.print(common.build(err).run(common.request(pigstySrc), o).render());
        out.flush();
        return 0;
    }

    @Override
    public boolean debug() {
        return common.debug;
    }
}
