package io.pigsty.offline.pack;

import io.pigsty.offline.format.BundleKey;
import com.github.luben.zstd.ZstdOutputStream;
import io.pigsty.offline.model.BuildException;
import io.pigsty.offline.model.Checksum;
import io.pigsty.offline.model.FileTrees;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Packs a repo tree into the offline tarball, reproducibly: entries sorted by path, one top
 * directory, fixed mtime, uid/gid 0 (root), fixed modes, POSIX headers for long names. Written to a
 * temporary file and renamed into place with its {@code .sha256} beside it.
 */
public final class Tarball {
    public enum Compression {
        // gzip 0 by default: packages are compressed already; see the README (Performance) for the measurements
        GZIP(".tgz", 0), ZSTD(".tar.zst", 3), NONE(".tar", 0);

        public final String suffix;
        public final int defaultLevel;

        Compression(String suffix, int defaultLevel) {
            this.suffix = suffix;
            this.defaultLevel = defaultLevel;
        }

        public static Compression parse(String s) {
            try {
                return valueOf(s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown compression '" + s + "'; use gzip, zstd or none");
            }
        }
    }

    /**
     * How to write the archive: {@code split} cuts it into parts of at most that many bytes (0: one
     * file); {@code key} signs it (null: unsigned).
     */
    public record Settings(Compression compression, int level, int threads, long split, BundleKey key) {}

    /**
     * The written archive: the file (with parts, their list {@code <name>.parts.json}), the sha256 and
     * size of the whole archive, and its parts (empty when not split).
     */
    public record Result(Path file, String sha256, long size, List<Path> parts) {}

    private Tarball() {}

    /**
     * Writes {@code tree} as {@code out} (or as its parts) and publishes it with its {@code .sha256}
     * and, with a key, its {@code .asc}; nothing of an earlier archive of that name is left beside it.
     */
    public static Result write(Path tree, String top, Path out, Settings s, long mtime) throws IOException {
        Path dist = out.getParent();
        Files.createDirectories(dist);
        heal(dist);
        String pid = String.valueOf(ProcessHandle.current().pid());
        String name = out.getFileName().toString();
        Path sumFile = dist.resolve(name + ".sha256"), ascFile = dist.resolve(name + ".asc");
        Path listFile = dist.resolve(name + ".parts.json"), partSums = dist.resolve(name + ".parts.sha256");
        Path tmp = dist.resolve("." + name + ".tmp" + pid);
        List<Path> temps = new ArrayList<>();
        try {
            String hex;
            List<Parts.Part> parts = List.of();
            try {
                if (s.split() > 0) {
                    Parts sink = new Parts(n -> {
                        Path p = dist.resolve("." + partName(name, n) + ".tmp" + pid);
                        temps.add(p);
                        return p;
                    }, s.split());
                    hex = archive(tree, top, sink, s, mtime);
                    parts = sink.parts();
                } else {
                    temps.add(tmp);
                    hex = archive(tree, top, Files.newOutputStream(tmp), s, mtime);
                }
            } catch (IOException e) {
                throw BuildException.local("write", temps.isEmpty() ? tmp : temps.get(temps.size() - 1), e);
            }
            long size = 0;
            for (Path t : temps) size += Files.size(t);
            Map<Path, String> small = new LinkedHashMap<>(); // the lists and signatures, written after the archive
            if (parts.isEmpty()) small.put(sumFile, hex + "  " + name + "\n"); // parts: .parts.sha256 and the list say it
            if (s.key() != null) small.put(ascFile, new String(s.key().detached(joined(temps), mtime), StandardCharsets.US_ASCII));
            if (!parts.isEmpty()) {
                StringBuilder sums = new StringBuilder();
                List<Object> list = new ArrayList<>();
                for (int i = 0; i < parts.size(); i++) {
                    Parts.Part pt = parts.get(i);
                    String pn = partName(name, i + 1);
                    sums.append(pt.sha256()).append("  ").append(pn).append('\n');
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put("name", pn);
                    e.put("size", pt.size());
                    e.put("sha256", pt.sha256());
                    list.add(e);
                }
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("file", name);
                doc.put("size", size);
                doc.put("sha256", hex);
                doc.put("parts", list);
                String json = io.pigsty.offline.repo.Json.write(doc);
                small.put(partSums, sums.toString());
                small.put(listFile, json);
                if (s.key() != null) small.put(dist.resolve(name + ".parts.json.asc"), new String(s.key().detached(
                        new java.io.ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), mtime), StandardCharsets.US_ASCII));
            }
            // Never leave an old checksum, signature or part beside a new archive: a run killed between
            // these renames leaves an archive without a checksum, which the next run's heal() completes.
            for (Path old : previous(dist, name)) Files.deleteIfExists(old);
            if (parts.isEmpty()) {
                Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } else {
                Files.deleteIfExists(out); // the unsplit archive of an earlier build would outlive these parts
                for (int i = 0; i < temps.size(); i++)
                    Files.move(temps.get(i), dist.resolve(partName(name, i + 1)), StandardCopyOption.ATOMIC_MOVE);
            }
            for (Map.Entry<Path, String> e : small.entrySet()) {
                Path t = e.getKey().resolveSibling("." + e.getKey().getFileName() + ".tmp" + pid);
                Files.writeString(t, e.getValue());
                Files.move(t, e.getKey(), StandardCopyOption.ATOMIC_MOVE);
            }
            List<Path> finals = new ArrayList<>();
            for (int i = 0; i < parts.size(); i++) finals.add(dist.resolve(partName(name, i + 1)));
            return new Result(parts.isEmpty() ? out : listFile, hex, size, finals);
        } finally {
            for (Path t : temps) Files.deleteIfExists(t);
        }
    }

    /** {@code <archive>.part-001}: numbered from 1, three digits (more as needed), sorting as they join. */
    static String partName(String archive, int n) {
        return archive + ".part-" + String.format(Locale.ROOT, "%03d", n);
    }

    /**
     * What an earlier build left under this archive's name: its parts, lists and signatures (the
     * archive itself is replaced by the rename, so it is never absent).
     */
    private static List<Path> previous(Path dist, String name) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dist)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (n.startsWith(name + ".part-") || n.equals(name + ".sha256") || n.equals(name + ".asc")
                        || n.startsWith(name + ".parts.")) out.add(p);
            }
        }
        return out;
    }

    /** The files one after the other, as {@code cat} joins them. */
    private static InputStream joined(List<Path> files) throws IOException {
        List<InputStream> ins = new ArrayList<>();
        for (Path f : files) ins.add(Files.newInputStream(f));
        return new java.io.SequenceInputStream(java.util.Collections.enumeration(ins));
    }

    /** Writes the archive of {@code tree} to {@code sink} (closed here); returns its sha256. */
    private static String archive(Path tree, String top, OutputStream sink, Settings s, long mtime) throws IOException {
        MessageDigest sha = Checksum.digest("SHA-256");
        try (OutputStream digest = new HashingWriter(sink, sha);
             OutputStream packed = compressor(digest, s.compression(), s.level(), s.threads());
             TarArchiveOutputStream tar = new TarArchiveOutputStream(packed, 1 << 16)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            tar.setAddPaxHeadersForNonAsciiNames(true);
            byte[] buf = new byte[1 << 20];
            for (Path p : entries(tree)) {
                String rel = tree.relativize(p).toString().replace('\\', '/');
                boolean dir = Files.isDirectory(p);
                String name = rel.isEmpty() ? top + "/" : top + "/" + rel + (dir ? "/" : "");
                TarArchiveEntry e = new TarArchiveEntry(name);
                e.setModTime(mtime * 1000);
                e.setIds(0, 0);
                e.setUserName("root");
                e.setGroupName("root");
                if (dir) {
                    e.setMode(040755);
                    tar.putArchiveEntry(e);
                } else {
                    e.setMode(0100644);
                    e.setSize(Files.size(p));
                    tar.putArchiveEntry(e);
                    try (InputStream in = Files.newInputStream(p)) {
                        int n;
                        while ((n = in.read(buf)) > 0) tar.write(buf, 0, n);
                    }
                }
                tar.closeArchiveEntry();
            }
            tar.finish();
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /**
     * What killed runs left in {@code dist}: their temporary archives and checksums are removed, and
     * an archive they had already renamed into place before its {@code .sha256} gets one (a rename is
     * atomic, so the archive is whole).
     */
    private static void heal(Path dist) throws IOException {
        FileTrees.sweep(dist, ".*.tmp*");
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dist, "*.{tgz,tar,tar.zst,tar.gz}")) {
            for (Path archive : ds) {
                Path sum = archive.resolveSibling(archive.getFileName() + ".sha256");
                if (Files.exists(sum)) continue;
                Path tmp = sum.resolveSibling("." + sum.getFileName() + ".tmp" + ProcessHandle.current().pid());
                Files.writeString(tmp, Checksum.sha256Of(archive) + "  " + archive.getFileName() + "\n");
                Files.move(tmp, sum, StandardCopyOption.ATOMIC_MOVE);
            }
        }
    }

    /** Every directory and regular file under {@code tree}, sorted by relative path; links are refused. */
    private static List<Path> entries(Path tree) throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(tree)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (Files.isSymbolicLink(p))
                    throw new IOException(p + " is a symbolic link; the repo tree holds only files and directories");
                out.add(p);
            }
        }
        out.sort((a, b) -> tree.relativize(a).toString().compareTo(tree.relativize(b).toString()));
        return out;
    }

    private static OutputStream compressor(OutputStream out, Compression c, int level, int threads) throws IOException {
        return switch (c) {
            case GZIP -> new ParallelGzip(out, level, threads);
            case ZSTD -> {
                ZstdOutputStream z = new ZstdOutputStream(out, level);
                z.setChecksum(true);
                // Multi-threaded zstd output is the same for any worker count >= 1.
                z.setWorkers(Math.max(1, threads));
                yield z;
            }
            case NONE -> new Plain(out);
        };
    }

    /** Pass-through for the uncompressed case, with a bulk write (FilterOutputStream writes byte by byte). */
    private static final class Plain extends java.io.FilterOutputStream {
        Plain(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }
    }
}
