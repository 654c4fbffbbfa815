package io.pigsty.offline.cli;

import io.pigsty.offline.build.ArtifactKind;
import io.pigsty.offline.build.Output;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * The one build command: resolve, fetch, publish the repo tree once, and make the artifacts asked
 * for. It is registered as {@code offline} (the tarball), {@code iso}, {@code image}, {@code golden} and {@code all},
 * which differ only in the default of {@code --artifacts}.
 */
@Command(mixinStandardHelpOptions = true)
final class BuildCommand implements Callable<Integer> {
    @Mixin
    Common common;

    @Option(names = "--artifacts", split = ",", paramLabel = "KIND",
            description = "What to make from the repo: tarball, iso, image, seed, golden (comma-separated; default: this command's).")
    Set<ArtifactKind> artifacts;

    @Option(names = "--repo-dir", description = "Where the repo tree goes (default: <home>/output/www/pigsty).")
    Path repoDir;

    @Option(names = "--dist", description = "Where artifacts go, under <version>/ (default: <home>/output/dist).")
    Path dist;

    @Option(names = "--pigsty-src", description = "Embed this Pigsty source tarball (pigsty-<version>.tgz) under src/ for the launcher to extract.")
    Path pigstySrc;

    @Option(names = "--compress", defaultValue = "gzip", description = "Tarball compression: gzip, zstd or none (default: ${DEFAULT-VALUE}).")
    String compress;

    @Option(names = "--level", description = "Compression level (gzip 0-9, default 0: stored, packages are compressed already; zstd 1-19, default 3).")
    Integer level;

    @Option(names = "--threads", description = "Compression threads (default: all cores).")
    Integer threads;

    @Option(names = "--format", split = ",", paramLabel = "FORMAT",
            description = "Container image: docker (docker-archive tar, the default) or oci (OCI archive tar); golden image: qcow2 (compressed, the default) or raw.")
    List<String> formats;

    @Option(names = "--push", description = "Push the image to a registry instead (REGISTRY/REPO:TAG; credentials from the docker config).")
    String push;

    @Option(names = "--tag", description = "The name inside the image tar (default: pigsty/repo:<version>-<os>-<arch>).")
    String tag;

    @Option(names = "--base", paramLabel = "FILE",
            description = "A cloud image (qcow2 or raw) for the golden image to start from; a docker-save tar to build the container image on instead of scratch. Repeatable: each is taken by its content.")
    List<Path> bases;

    @Option(names = "--size", paramLabel = "+N",
            description = "Grow the golden image's disk by this much (+4G, +512M); its cloud-init grows the root file system on boot.")
    String size;

    @Option(names = "--vm-timeout", defaultValue = "60", paramLabel = "MIN",
            description = "The longest the golden image's preparation VM may run (default: ${DEFAULT-VALUE} minutes).")
    int vmTimeout;

    @Option(names = "--vm-accel", defaultValue = "auto", paramLabel = "ACCEL",
            description = "The golden image's VM: auto (KVM when /dev/kvm works, else TCG), kvm or tcg (default: ${DEFAULT-VALUE}).")
    String vmAccel;

    @Option(names = "--lock", paramLabel = "FILE",
            description = "Build exactly the packages of this lock (plan --json): no metadata, no solve; refused when it is stale.")
    Path lock;

    @Option(names = "--since", paramLabel = "OLD",
            description = "Also write a delta against this earlier bundle (its tarball or manifest.json): only what changed.")
    Path since;

    @Option(names = "--split", paramLabel = "SIZE",
            description = "Write the tarball as parts of at most SIZE (bytes, 4G, 700M, dvd, dvd-dl, bd, fat32) with a <name>.parts.json.")
    String split;

    @Option(names = "--sbom", split = ",", paramLabel = "FORMAT",
            description = "The SBOM formats in the tree: cyclonedx (sbom.cdx.json, the default), spdx (sbom.spdx.json, SPDX 2.3), or both: cyclonedx,spdx.")
    List<String> sbom;

    @Option(names = "--sign-key", defaultValue = "${env:PIGSTY_SIGN_KEY}", paramLabel = "FILE",
            description = "Sign the bundle with this OpenPGP secret key (armored or binary; default: $PIGSTY_SIGN_KEY; make one with build keygen).")
    Path signKey;

    @Option(names = "--sign-passphrase-file", paramLabel = "FILE",
            description = "The key's passphrase, first line of FILE (default: $PIGSTY_SIGN_PASSPHRASE, else none).")
    Path signPassphraseFile;

    @Spec
    CommandSpec spec;

    private final Set<ArtifactKind> defaults;

    BuildCommand(Set<ArtifactKind> defaults) {
        this.defaults = EnumSet.copyOf(defaults);
    }

    @Override
    public Integer call() throws Exception {
        Set<ArtifactKind> kinds = artifacts == null || artifacts.isEmpty() ? defaults : artifacts;
        Output o = new Output(repoDir, dist, kinds, compress, level, threads, new Output.ImageOptions(formats, bases, push, tag, size, vmTimeout, vmAccel),
                signKey, signPassphraseFile, split, lock, since, sbom);
        spec.commandLine().getOut().print(common.build(spec.commandLine().getErr()).run(common.request(pigstySrc), o).render());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
