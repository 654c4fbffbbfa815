package io.pigsty.offline.cli;

import io.pigsty.offline.build.Pipeline;
import io.pigsty.offline.config.ConfigException;
import io.pigsty.offline.fetch.Progress;
import io.pigsty.offline.pack.Image;
import io.pigsty.offline.pack.Tarball;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Set;

/** Options of the commands that build the repo tree and artifacts from it, and how they run. */
final class Outputs {
    /** Where the tree and artifacts go. */
    static final class Tree {
        @Option(names = "--repo-dir", description = "Where the repo tree goes (default: <home>/output/www/pigsty).")
        Path repoDir;

        @Option(names = "--dist", description = "Where artifacts go, under <version>/ (default: <home>/output/dist).")
        Path dist;

        @Option(names = "--pigsty-src", description = "Embed this Pigsty source tarball (pigsty-<version>.tgz) under src/ for the launcher to extract.")
        Path pigstySrc;
    }

    /** How the tarball is packed. */
    static final class Pack {
        @Option(names = "--compress", defaultValue = "gzip", description = "gzip, zstd or none (default: ${DEFAULT-VALUE}).")
        String compress;

        @Option(names = "--level", description = "Compression level (gzip 0-9, default 6; zstd 1-19, default 3).")
        Integer level;

        @Option(names = "--threads", description = "Compression threads (default: all cores).")
        Integer threads;
    }

    /** Where the container image goes. */
    static final class ImageOut {
        @Option(names = "--format", defaultValue = "docker", description = "docker (docker-archive tar) or oci (OCI archive tar) (default: ${DEFAULT-VALUE}).")
        String format;

        @Option(names = "--push", description = "Push to a registry instead (REGISTRY/REPO:TAG; credentials from the docker config).")
        String push;

        @Option(names = "--tag", description = "The name inside the image tar (default: pigsty/repo:<version>-<os>-<arch>).")
        String tag;

        @Option(names = "--base", description = "A docker-save tar to build on instead of an empty (scratch) image.")
        Path base;
    }

    private Outputs() {}

    /** Resolves, builds the tree once, makes {@code kinds}, and prints where each artifact is. */
    static int run(Common common, Tree tree, Pack pack, ImageOut image, Set<String> kinds, PrintWriter out, PrintWriter err)
            throws Exception {
        Tarball.Compression c;
        try {
            c = Tarball.Compression.parse(pack == null ? "gzip" : pack.compress);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--compress", e.getMessage());
        }
        int lvl = pack == null || pack.level == null ? c.defaultLevel : pack.level;
        if (c == Tarball.Compression.GZIP && (lvl < 0 || lvl > 9) || c == Tarball.Compression.ZSTD && (lvl < 1 || lvl > 19))
            throw new ConfigException("--level", lvl + " is out of range for " + pack.compress);
        int threads = pack == null || pack.threads == null ? Runtime.getRuntime().availableProcessors() : pack.threads;
        Image.Target it = null;
        if (image != null) {
            if (!image.format.equals("docker") && !image.format.equals("oci"))
                throw new ConfigException("--format", "use docker or oci, not '" + image.format + "'");
            it = new Image.Target(image.format, null, image.push, image.tag, image.base);
        }
        common.pigstySrc = tree.pigstySrc;
        Pipeline.Output o = new Pipeline.Output(tree.repoDir != null ? tree.repoDir : common.output().resolve("www").resolve("pigsty"),
                tree.dist != null ? tree.dist : common.output().resolve("dist"), c, lvl, Math.max(1, threads), kinds, it);
        Pipeline pipeline = new Pipeline(common.log(err), err, System.console() != null);
        Pipeline.Built b = pipeline.offline(common.options(), o);
        if (kinds.size() == 1 && b.artifacts().size() == 1) {
            out.println(b.artifacts().get(0).location());
        } else {
            out.printf("%-8s %10s  %-71s %s%n", "ARTIFACT", "SIZE", "SHA256 / DIGEST", "WHERE");
            for (Pipeline.Artifact a : b.artifacts())
                out.printf("%-8s %10s  %-71s %s%n", a.kind(), a.size() == 0 ? "-" : Progress.size(a.size()), a.sha256(), a.location());
        }
        return 0;
    }
}
