package io.pigsty.offline.format;

import com.github.luben.zstd.ZstdInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.tukaani.xz.XZInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Opens a metadata file, decompressing by its name's suffix (gz, xz, zst, bz2, or none), and never
 * further than {@link #limit} of the file's size: a few KiB that inflate to gigabytes are refused,
 * not parsed.
 */
public final class Decompress {
    private static final int BUF = 1 << 16;
    /** Real indexes inflate about 5-15 times; this many times (and at least {@link #FLOOR}) is a bomb. */
    static final long RATIO = 64, FLOOR = 512L << 20;

    private Decompress() {}

    /** The most a compressed file of {@code size} bytes may decompress to. */
    public static long limit(long size) {
        return Math.max(FLOOR, size * RATIO);
    }

    public static InputStream open(Path file, String name) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), BUF);
        try {
            InputStream in = wrap(raw, name);
            return in == raw ? raw : new Bounded(in, limit(Files.size(file)), name);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    /** Ends a decompressed stream that grows past its limit, naming the file and the limit. */
    private static final class Bounded extends java.io.FilterInputStream {
        private final long limit;
        private final String name;
        private long read;

        Bounded(InputStream in, long limit, String name) {
            super(in);
            this.limit = limit;
            this.name = name;
        }

        private void count(long n) throws IOException {
            if (n > 0 && (read += n) > limit)
                throw new io.pigsty.offline.model.MetadataException(name + " decompresses to more than " + limit
                        + " bytes; refusing it (a decompression bomb, or not the index it claims to be)");
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) count(1);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            count(n);
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = super.skip(n);
            count(s);
            return s;
        }
    }

    public static InputStream wrap(InputStream raw, String name) throws IOException {
        if (name.endsWith(".gz")) return new BufferedInputStream(new GZIPInputStream(raw, BUF), BUF);
        if (name.endsWith(".xz")) return new BufferedInputStream(new XZInputStream(raw), BUF);
        if (name.endsWith(".zst") || name.endsWith(".zstd")) return new BufferedInputStream(new ZstdInputStream(raw), BUF);
        if (name.endsWith(".bz2")) return new BufferedInputStream(new BZip2CompressorInputStream(raw, true), BUF);
        return raw;
    }
}
