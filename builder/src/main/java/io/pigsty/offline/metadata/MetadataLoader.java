package io.pigsty.offline.metadata;

import io.pigsty.offline.format.Format;
import io.pigsty.offline.format.IndexFile;
import io.pigsty.offline.format.IndexSet;
import io.pigsty.offline.format.RepoFiles;
import io.pigsty.offline.model.BuildException;
import io.pigsty.offline.model.Checksum;
import io.pigsty.offline.model.ExitCode;
import io.pigsty.offline.model.Log;
import io.pigsty.offline.model.MetadataException;
import io.pigsty.offline.model.Repo;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Reads every selected repo's index with the target's format, on up to four threads (network and
 * parsing overlap), into one universe and the set of index files read. Files come from a
 * {@link MetaSource} (the fetcher: mirrors, verification, cache); parsed package lists are kept in
 * the {@link ParsedCache} so a warm plan reads no XML.
 */
public final class MetadataLoader {
    private MetadataLoader() {}

    public static Metadata load(List<Format.Source> sources, Format format, String targetArch, MetaSource meta, Log log)
            throws IOException {
        return load(sources, format, targetArch, meta, log, Prefetch.none());
    }

    /**
     * {@link #load}, taking the parsed cache files {@code prefetch} opened ahead; the files this load
     * reads are what the next prefetch through the same cache opens.
     */
    public static Metadata load(List<Format.Source> sources, Format format, String targetArch, MetaSource meta, Log log,
                                Prefetch prefetch) throws IOException {
        List<Path> used = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicBoolean parsed = new java.util.concurrent.atomic.AtomicBoolean();
        List<Format.RepoIndex> read = loadAll(sources, s -> format.read(s, targetArch, files(s.repo(), meta, log, prefetch, used, parsed), log), log);
        Prefetch.remember(meta, used, log);
        // A parse leaves its garbage in the old generation (./build promotes survivors at once): one
        // full collection before the solve lets the solve reuse that space instead of growing the
        // heap. A cold CS9 plan peaks about 13 MB lower, in about the time of the young collection
        // it replaces; a warm plan parses nothing and never gets here.
        if (parsed.get()) System.gc();
        List<IndexFile> index = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        for (Format.RepoIndex r : read) {
            index.addAll(r.files());
            dropped.addAll(r.dropped());
        }
        return new Metadata(format.universe(read, targetArch, log), new IndexSet(index), dropped);
    }

    /**
     * {@code index} with a verified local copy of every file of {@code types} in {@code repos}: the
     * files a later step reads (file lists for file requirements, the records a writer carries).
     */
    public static IndexSet complete(IndexSet index, Set<String> types, Set<Repo> repos, MetaSource meta) throws IOException {
        List<IndexFile> fetched = new ArrayList<>();
        for (IndexFile f : index.missing(types, repos)) fetched.add(f.withLocal(meta.file(f.repo(), f.path(), f.checksum(), f.size())));
        return fetched.isEmpty() ? index : index.with(fetched);
    }

    /**
     * One repo's files through the source, with the parsed cache (the files it reads added to
     * {@code used}; {@code parsed} set when it parses an index file).
     */
    private static RepoFiles files(Repo repo, MetaSource meta, Log log, Prefetch prefetch, List<Path> used,
                                   java.util.concurrent.atomic.AtomicBoolean parsed) {
        String where = "repo " + repo.name();
        return new RepoFiles() {
            @Override
            public Path root(String path) throws IOException {
                return meta.root(repo, path);
            }

            @Override
            public Path optionalRoot(String path) throws IOException {
                return meta.optionalRoot(repo, path);
            }

            @Override
            public Path file(String path, Checksum expected, long size) throws IOException {
                return meta.file(repo, path, expected, size);
            }

            @Override
            public Parsed parsed(String key, Parse parse) throws IOException {
                Path cached = meta.derived(key + "-" + PackageCodec.VERSION);
                if (cached != null) used.add(cached);
                return ParsedCache.get(cached, repo, sink -> {
                    parsed.set(true);
                    parse.parse(sink);
                }, where, log, prefetch);
            }

            @Override
            public byte[] derived(String key, Derive derive) throws IOException {
                return ParsedCache.derived(meta.derived(key), derive, where, log);
            }
        };
    }

    private interface Load<T> {
        T load(Format.Source source) throws IOException;
    }

    /**
     * Loads every source and returns the results in source order. Every failure is reported at once;
     * a repo marked skip_if_unavailable that cannot be reached is left out with a warning, but never
     * one whose metadata fails its checks.
     */
    private static <T> List<T> loadAll(List<Format.Source> sources, Load<T> load, Log log) throws IOException {
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
                    // the build's own failure (a full disk, a bad config) is not a repo's
                    if (c instanceof BuildException b && b.exitCode() != ExitCode.NETWORK) throw b;
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
            throw new BuildException(ExitCode.NETWORK, (failures.size() == 1 ? "" : failures.size() + " repos failed:\n")
                    + String.join("\n", failures));
        return loaded;
    }
}
