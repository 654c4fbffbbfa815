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
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
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

    /** The written archive and its sha256. */
    public record Result(Path file, String sha256, long size) {}

    private Tarball() {}

    /**
     * @param tree   the directory whose contents go under {@code top/} in the archive
     * @param mtime  seconds since the epoch for every entry
     */
    /** With {@code key} (null: unsigned) a detached signature {@code <out>.asc} is published with the archive. */
    public static Result write(Path tree, String top, Path out, Compression compression, int level, long mtime,
                               int threads, BundleKey key) throws IOException {
        Files.createDirectories(out.getParent());
        heal(out.getParent());
        Path tmp = out.resolveSibling("." + out.getFileName() + ".tmp" + ProcessHandle.current().pid());
        Path sumFile = out.resolveSibling(out.getFileName() + ".sha256");
        Path sumTmp = sumFile.resolveSibling("." + sumFile.getFileName() + ".tmp" + ProcessHandle.current().pid());
        Path ascFile = out.resolveSibling(out.getFileName() + ".asc");
        Path ascTmp = ascFile.resolveSibling("." + ascFile.getFileName() + ".tmp" + ProcessHandle.current().pid());
        try {
            String hex;
            try {
                hex = archive(tree, top, tmp, compression, level, mtime, threads);
                Files.writeString(sumTmp, hex + "  " + out.getFileName() + "\n");
                if (key != null)
                    try (InputStream in = Files.newInputStream(tmp)) {
                        Files.write(ascTmp, key.detached(in, mtime));
                    }
            } catch (IOException e) {
                throw BuildException.local("write", tmp, e);
            }
            // Never leave an old checksum or signature beside a new archive: a run killed between these
            // renames leaves an archive without a checksum, which the next run's heal() completes.
            Files.deleteIfExists(sumFile);
            Files.deleteIfExists(ascFile);
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.move(sumTmp, sumFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            if (key != null) Files.move(ascTmp, ascFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new Result(out, hex, Files.size(out));
        } finally {
            Files.deleteIfExists(tmp);
            Files.deleteIfExists(sumTmp);
            Files.deleteIfExists(ascTmp);
        }
    }

    /** Writes the archive of {@code tree} to {@code file}; returns its sha256. */
    private static String archive(Path tree, String top, Path file, Compression compression, int level, long mtime, int threads)
            throws IOException {
        MessageDigest sha = Checksum.digest("SHA-256");
        try (OutputStream digest = new HashingWriter(Files.newOutputStream(file), sha);
             OutputStream packed = compressor(digest, compression, level, threads);
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
