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

/** Opens a metadata file, decompressing by its name's suffix (gz, xz, zst, bz2, or none). */
public final class Decompress {
    private static final int BUF = 1 << 16;

    private Decompress() {}

    public static InputStream open(Path file, String name) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), BUF);
        try {
            return wrap(raw, name);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
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
