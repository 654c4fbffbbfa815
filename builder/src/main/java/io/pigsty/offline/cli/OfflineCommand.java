package io.pigsty.offline.cli;

import io.pigsty.offline.Pipeline;
import io.pigsty.offline.config.ConfigException;
import io.pigsty.offline.pack.Tarball;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code build offline}: the whole job, from inventory to the offline tarball. */
@Command(name = "offline", mixinStandardHelpOptions = true,
        description = "Resolve, download and verify every package, build the local repo and pack the offline tarball.")
final class OfflineCommand implements Callable<Integer> {
    @Mixin
    Common common;

    @Option(names = "--repo-dir", description = "Where the repo tree goes (default: <home>/output/www/pigsty).")
    Path repoDir;

    @Option(names = "--dist", description = "Where tarballs go, under <version>/ (default: <home>/output/dist).")
    Path dist;

    @Option(names = "--compress", defaultValue = "gzip", description = "gzip, zstd or none (default: ${DEFAULT-VALUE}).")
    String compress;

    @Option(names = "--level", description = "Compression level (gzip 0-9, default 6; zstd 1-19, default 3).")
    Integer level;

    @Option(names = "--threads", description = "Compression threads (default: all cores).")
    Integer threads;

    @Option(names = "--pigsty-src", description = "Embed this Pigsty source tarball (pigsty-<version>.tgz) under src/ for the launcher to extract.")
    Path pigstySrc;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Tarball.Compression c;
        try {
            c = Tarball.Compression.parse(compress);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--compress", e.getMessage());
        }
        int lvl = level == null ? c.defaultLevel : level;
        if (c == Tarball.Compression.GZIP && (lvl < 0 || lvl > 9) || c == Tarball.Compression.ZSTD && (lvl < 1 || lvl > 19))
            throw new ConfigException("--level", lvl + " is out of range for " + compress);
        int th = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        Pipeline.Output out = new Pipeline.Output(
                repoDir != null ? repoDir : common.output().resolve("www").resolve("pigsty"),
                dist != null ? dist : common.output().resolve("dist"), c, lvl, Math.max(1, th));
        common.pigstySrc = pigstySrc;
        Pipeline pipeline = new Pipeline(common.log(spec.commandLine().getErr()), spec.commandLine().getErr(),
                System.console() != null);
        Pipeline.Built b = pipeline.offline(common.options(), out);
        spec.commandLine().getOut().println(b.tarball().file());
        return 0;
    }
}
