package io.pigsty.offline.repo;

import io.pigsty.bundle.BundleLayout;
import io.pigsty.offline.config.ConfigException;
import io.pigsty.offline.model.BuildException;
import io.pigsty.offline.model.ExitCode;
import io.pigsty.offline.model.Log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where a build writes, checked before anything is downloaded: the repo tree may replace only a
 * directory that is new, empty or a bundle built before (it has {@code repo_complete} or
 * {@code manifest.json}), never the cache or what holds it; and one build at a time writes to a
 * repo directory and a dist directory (a file lock beside each, naming the holder).
 */
public final class Destination implements AutoCloseable {
    private final List<FileChannel> channels = new ArrayList<>();

    private Destination() {}

    /** Refuses a {@code --repo-dir} whose contents would be lost, or that overlaps the cache. */
    public static void check(Path repoDir, Path cache) throws IOException {
        Path dest = repoDir.toAbsolutePath().normalize(), c = cache.toAbsolutePath().normalize();
        if (dest.startsWith(c) || c.startsWith(dest))
            throw new ConfigException("--repo-dir", dest + " overlaps the download cache " + c + "; the tree would replace it,"
                    + " or the cache would be published; give them separate directories");
        if (!Files.exists(dest, LinkOption.NOFOLLOW_LINKS)) return;
        if (!Files.isDirectory(dest, LinkOption.NOFOLLOW_LINKS))
            throw new ConfigException("--repo-dir", dest + " exists and is not a directory; refusing to replace it");
        if (Files.exists(dest.resolve(BundleLayout.COMPLETE)) || Files.exists(dest.resolve(BundleLayout.MANIFEST))) return;
        try (Stream<Path> s = Files.list(dest)) {
            if (s.findAny().isEmpty()) return;
        }
        throw new ConfigException("--repo-dir", dest + " holds files that are not a bundle built here (it has no "
                + BundleLayout.COMPLETE + " or " + BundleLayout.MANIFEST + "); a build replaces the whole directory, so"
                + " refusing: point --repo-dir at a new or empty directory, or at a previous bundle");
    }

    /**
     * Takes the build lock of each directory (a {@code .pigsty-build.lock} file in it, created as
     * needed), waiting up to {@code waitSeconds} for another build to finish, then failing with
     * the holder's pid.
     */
    public static Destination lock(List<Path> dirs, int waitSeconds, Log log) throws IOException {
        Destination d = new Destination();
        try {
            // one lock per directory: --dist may well be the repo dir's parent
            for (Path dir : new java.util.LinkedHashSet<>(dirs.stream().map(p -> p.toAbsolutePath().normalize()).toList()))
                d.take(dir, waitSeconds, log);
        } catch (IOException | RuntimeException e) {
            d.close();
            throw e;
        }
        return d;
    }

    private void take(Path dir, int waitSeconds, Log log) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(".pigsty-build.lock");
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        channels.add(ch);
        long deadline = System.nanoTime() + waitSeconds * 1_000_000_000L;
        boolean told = false;
        while (true) {
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException e) {
                l = null; // this JVM holds it (a build in-process): wait as for another process
            }
            if (l != null) break;
            String holder = holder(file);
            if (System.nanoTime() > deadline)
                throw new BuildException(ExitCode.FAILED, "another build (" + holder + ") is writing to " + dir
                        + " and did not finish within " + waitSeconds + " s; wait for it, or use another --repo-dir/--dist");
            if (!told) log.warn("another build (" + holder + ") is writing to " + dir + "; waiting for it");
            told = true;
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the build lock of " + dir, e);
            }
        }
        ch.truncate(0);
        ch.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        ch.force(false);
    }

    private static String holder(Path file) {
        try {
            String s = Files.readString(file).trim();
            return s.isEmpty() ? "pid unknown" : s;
        } catch (IOException e) {
            return "pid unknown";
        }
    }

    @Override
    public void close() {
        for (FileChannel ch : channels) {
            try {
                ch.close(); // releases the lock
            } catch (IOException e) {
                // closing a lock file cannot lose data
            }
        }
    }
}
