package io.pigsty.offline.format.deb;

import io.pigsty.offline.format.Decompress;
import io.pigsty.offline.format.RepoFiles;
import io.pigsty.offline.model.Checksum;
import io.pigsty.offline.model.Dep;
import io.pigsty.offline.model.Evr;
import io.pigsty.offline.model.MetadataException;
import io.pigsty.offline.model.Package;
import io.pigsty.offline.model.Repo;
import io.pigsty.offline.model.Req;
import io.pigsty.offline.model.SafePaths;
import org.tukaani.xz.SeekableFileInputStream;
import org.tukaani.xz.SeekableXZInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Reads a Packages index into {@link Package}s. A multi-block .xz (Debian's main is one) is decoded
 * and parsed by several threads, one range of blocks each, since Java's xz decoder alone is slower
 * than the target parse rate; the result keeps the file's order. The xz CRC64 is not checked: the
 * whole file was already checked against the signed Release's SHA256.
 */
final class PackagesFile {
    static final String[] FIELDS = {"Package", "Version", "Architecture", "Multi-Arch", "Provides", "Depends",
            "Pre-Depends", "Recommends", "Conflicts", "Breaks", "Filename", "Size", "SHA256", "Essential"};
    private static final int PACKAGE = 0, VERSION = 1, ARCH = 2, MULTIARCH = 3, PROVIDES = 4, DEPENDS = 5,
            PREDEPENDS = 6, RECOMMENDS = 7, CONFLICTS = 8, BREAKS = 9, FILENAME = 10, SIZE = 11, SHA256 = 12;

    private PackagesFile() {}

    /**
     * The packages of one Packages file; a stanza whose version or relationships cannot be parsed is
     * left out and listed in {@code dropped} (an unsafe Filename or a missing SHA256 fails the file).
     */
    static RepoFiles.Parsed read(Path file, String name, Repo repo, String where) throws IOException {
        if (name.endsWith(".xz")) {
            RepoFiles.Parsed parallel = readXzInParallel(file, repo, where);
            if (parallel != null) return parallel;
        }
        Converter c = new Converter(repo, where);
        try (InputStream in = Decompress.open(file, name)) {
            new Stanzas(false, FIELDS).read(in, c::add);
        }
        return new RepoFiles.Parsed(c.out, c.dropped);
    }

    /** Null when the file has a single block (nothing to split). */
    private static RepoFiles.Parsed readXzInParallel(Path file, Repo repo, String where) throws IOException {
        long[] starts;
        try (SeekableXZInputStream probe = new SeekableXZInputStream(new SeekableFileInputStream(file.toFile()), -1, false)) {
            // the xz index states the decompressed size: a bomb is refused before a byte is inflated
            long limit = Decompress.limit(java.nio.file.Files.size(file));
            if (probe.length() > limit)
                throw new io.pigsty.offline.model.MetadataException(where + ": " + file.getFileName() + " decompresses to "
                        + probe.length() + " bytes, more than " + limit + "; refusing it (a decompression bomb?)");
            int blocks = probe.getBlockCount();
            int threads = Math.min(blocks, Runtime.getRuntime().availableProcessors());
            if (threads < 2) return null;
            starts = new long[threads + 1];
            for (int t = 0; t < threads; t++) starts[t] = probe.getBlockPos(t * blocks / threads);
            starts[threads] = Long.MAX_VALUE;
        }
        ExecutorService pool = Executors.newFixedThreadPool(starts.length - 1, r -> {
            Thread t = new Thread(r, "packages");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Converter>> parts = new ArrayList<>();
            for (int t = 0; t + 1 < starts.length; t++) {
                long from = starts[t], until = starts[t + 1];
                parts.add(pool.submit(() -> {
                    Converter c = new Converter(repo, where);
                    try (SeekableXZInputStream in = new SeekableXZInputStream(new SeekableFileInputStream(file.toFile()), -1, false)) {
                        // Exactly at a block start: seeking anywhere else would decode the block before it.
                        in.seek(from);
                        new Stanzas(false, FIELDS).read(in, from, until, c::add);
                    }
                    return c;
                }));
            }
            List<Package> all = new ArrayList<>();
            List<String> dropped = new ArrayList<>();
            for (Future<Converter> f : parts) {
                Converter c = f.get();
                all.addAll(c.out);
                dropped.addAll(c.dropped);
            }
            return new RepoFiles.Parsed(all, dropped);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            throw new MetadataException(where + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        } finally {
            pool.shutdownNow();
        }
    }

    /** The packages a dpkg {@code status} file says are installed, with their relationships. */
    static List<Package> installed(String text, String where) throws IOException {
        List<Package> out = new ArrayList<>();
        new Stanzas(false, "Package", "Version", "Architecture", "Multi-Arch", "Provides", "Depends", "Pre-Depends",
                "Conflicts", "Breaks", "Status").read(new java.io.ByteArrayInputStream(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)), s -> {
                    String status = s.get(9);
                    if (s.get(0) == null || s.get(1) == null || s.get(2) == null || status == null || !status.endsWith(" installed")) return;
                    try {
                        List<Req> requires = new ArrayList<>(DebDeps.requirements(s.get(6)));
                        requires.addAll(DebDeps.requirements(s.get(5)));
                        List<Dep> conflicts = new ArrayList<>(DebDeps.relations(s.get(7)));
                        conflicts.addAll(DebDeps.relations(s.get(8)));
                        Package p = Package.installed(s.get(0), Evr.parse(s.get(1)), s.get(2));
                        out.add(new Package(p.name(), p.evr(), p.arch(), DebDeps.relations(s.get(4)), requires, conflicts,
                                List.of(), List.of(), List.of(), List.of(), List.of(), p.location(), 0, p.checksum(), p.repo(),
                                s.get(3)));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalStateException(where + ": package " + s.get(0) + ": " + e.getMessage(), e);
                    }
                });
        return out;
    }

    /** Turns paragraphs into packages, sharing the strings that repeat (dependency names, versions). */
    private static final class Converter {
        final List<Package> out = new ArrayList<>();
        final List<String> dropped = new ArrayList<>();
        private final Map<String, String> strings = new HashMap<>();
        private final Map<String, List<Req>> reqCache = new HashMap<>();
        private final Repo repo;
        private final String where;

        Converter(Repo repo, String where) {
            this.repo = repo;
            this.where = where;
        }

        void add(Stanzas.Stanza s) {
            String name = s.get(PACKAGE), version = s.get(VERSION), arch = s.get(ARCH), file = s.get(FILENAME),
                    sha = s.get(SHA256);
            if (name == null || version == null || arch == null || file == null) return; // not a binary package record
            if (file.startsWith("./")) file = file.substring(2); // flat repos (apt-ftparchive) write ./name.deb
            if (!SafePaths.safeRelative(file))
                throw new IllegalStateException(where + ": package " + name + " has unsafe Filename '" + SafePaths.shown(file)
                        + "' (outside the repo, a control character, a query or a percent-escape); refusing this repo's metadata");
            if (sha == null)
                throw new IllegalStateException(where + ": package " + name + " has no SHA256 (older hashes are not trusted)");
            try {
                List<Dep> provides = new ArrayList<>(DebDeps.relations(s.get(PROVIDES)));
                List<Req> requires = new ArrayList<>(reqs(s.get(PREDEPENDS)));
                requires.addAll(reqs(s.get(DEPENDS)));
                List<Dep> conflicts = new ArrayList<>(DebDeps.relations(s.get(CONFLICTS)));
                conflicts.addAll(DebDeps.relations(s.get(BREAKS)));
                out.add(new Package(intern(name), Evr.parse(intern(version)), intern(arch), provides, requires,
                        conflicts, List.of(), reqs(s.get(RECOMMENDS)), List.of(), List.of(), List.of(), file,
                        s.get(SIZE) == null ? 0 : Long.parseLong(s.get(SIZE).trim()), Checksum.sha256(sha), repo,
                        s.get(MULTIARCH) == null ? null : intern(s.get(MULTIARCH))));
            } catch (IllegalArgumentException e) {
                dropped.add(where + ": left out " + name + " " + version + " (" + file + "): " + e.getMessage());
            }
        }

        /** Identical dependency fields are common (the same libc6 line): parse each text once. */
        private List<Req> reqs(String field) {
            if (field == null) return List.of();
            return reqCache.computeIfAbsent(field, f -> List.copyOf(DebDeps.requirements(f)));
        }

        private String intern(String s) {
            String prev = strings.putIfAbsent(s, s);
            return prev == null ? s : prev;
        }
    }
}
