package io.pigsty.offline.format;

import io.pigsty.offline.model.MetadataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Decompression bombs end with a message naming the file and the limit, not an OutOfMemoryError. */
class DecompressTest {
    @TempDir
    Path tmp;

    @Test
    void aGzipThatInflatesPastItsLimitIsRefused() throws Exception {
        Path bomb = tmp.resolve("primary.xml.gz");
        byte[] zeros = new byte[1 << 20];
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(bomb), 1 << 16)) {
            for (int i = 0; i < 600; i++) out.write(zeros); // 600 MiB of nothing, about 600 KiB on disk
        }
        assertTrue(Files.size(bomb) < 2 << 20, Files.size(bomb) + " bytes");
        long t0 = System.nanoTime();
        MetadataException e = assertThrows(MetadataException.class, () -> {
            try (InputStream in = Decompress.open(bomb, "repodata/primary.xml.gz")) {
                byte[] buf = new byte[1 << 16];
                while (in.read(buf) > 0) { }
            }
        });
        assertTrue(e.getMessage().contains("repodata/primary.xml.gz decompresses to more than " + Decompress.limit(Files.size(bomb))), e.getMessage());
        assertTrue(System.nanoTime() - t0 < 30_000_000_000L, "took more than 30 s");
    }

    @Test
    void anUncompressedFileIsItsOwnLimit() throws Exception {
        Path plain = tmp.resolve("Packages");
        Files.writeString(plain, "Package: a\n");
        try (InputStream in = Decompress.open(plain, "Packages")) {
            assertTrue(new String(in.readAllBytes()).startsWith("Package: a"));
        }
    }
}
