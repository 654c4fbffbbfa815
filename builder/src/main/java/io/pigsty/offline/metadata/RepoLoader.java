package io.pigsty.offline.metadata;

import io.pigsty.offline.model.BuildException;
import io.pigsty.offline.model.Log;
import io.pigsty.offline.format.Format;
import io.pigsty.offline.metadata.MetaSource;
import io.pigsty.offline.model.MetadataException;
import io.pigsty.offline.model.Package;
import io.pigsty.offline.metadata.PackageCodec;
import io.pigsty.offline.model.Repo;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** What both formats do around their own parsers: load repos in parallel, and cache parsed package lists. */
public final class RepoLoader {
    /** Reads one repo. */
    public interface Load<T> {
        T load(Format.Source source) throws IOException;
    }

    /** Parses one index file. */
    public interface Parse {
        List<Package> parse() throws IOException;
    }

    private RepoLoader() {}

    /**
     * Loads every source on up to four threads (network and parsing overlap) and returns the results
     * in source order. Every failure is reported at once; a repo marked skip_if_unavailable that
     * cannot be reached is left out with a warning, but never one whose metadata fails its checks.
     */
    public static <T> List<T> loadAll(List<Format.Source> sources, Load<T> load, Log log) throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(4, sources.size())), r -> {
            Thread t = new Thread(r, "metadata");
            t.setDaemon(true);
            return t;
        });
        List<T> loaded = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Format.Source s : sources) futures.add(pool.submit(() -> load.load(s)));
            for (int i = 0; i < futures.size(); i++) {
                try {
                    loaded.add(futures.get(i).get());
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof RuntimeException re && !(re instanceof BuildException)) throw re;
                    if (sources.get(i).skipIfUnavailable() && !(c instanceof MetadataException))
                        log.warn(c.getMessage().lines().findFirst().orElse("") + " (skip_if_unavailable: going on without it)");
                    else failures.add(c.getMessage());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading metadata");
        } finally {
            pool.shutdownNow();
        }
        if (!failures.isEmpty())
            throw new BuildException(BuildException.NETWORK, (failures.size() == 1 ? "" : failures.size() + " repos failed:\n")
                    + String.join("\n", failures));
        return loaded;
    }

    /**
     * The packages of one index file, from the parsed cache when this exact file ({@code key} names
     * its checksum) was read before; else parsed and cached for the next run.
     */
    public static List<Package> cached(MetaSource meta, String key, Repo repo, Parse parse, String where, Log log)
            throws IOException {
        Path cached = meta.derived(key + "-" + PackageCodec.VERSION);
        if (cached != null && Files.isRegularFile(cached)) {
            try {
                List<Package> pkgs = PackageCodec.read(Files.readAllBytes(cached), repo);
                if (pkgs != null) return pkgs;
            } catch (IOException e) {
                log.warn(where + ": ignoring unreadable parsed cache " + cached + " (" + e.getMessage() + ")");
            }
        }
        List<Package> pkgs = parse.parse();
        if (cached != null) {
            Files.createDirectories(cached.getParent());
            Path tmp = cached.resolveSibling(cached.getFileName() + ".tmp" + ProcessHandle.current().pid());
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
                PackageCodec.write(out, pkgs);
            } catch (IOException e) {
                Files.deleteIfExists(tmp);
                log.warn(where + ": cannot cache parsed metadata (" + e.getMessage() + ")");
                return pkgs;
            }
            Files.move(tmp, cached, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        return pkgs;
    }
}
