package io.pigsty.launcher;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The extractor against hostile archives: nothing may land outside the target directory. */
class ExtractorTest {
    @TempDir
    Path tmp;

    /** Builds a tar in memory from (name, type, content-or-link) triples. */
    static byte[] tar(Object... entries) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(b)) {
            t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (int i = 0; i < entries.length; i += 3) {
                String name = (String) entries[i];
                byte type = (byte) entries[i + 1];
                String data = (String) entries[i + 2];
                TarArchiveEntry e = new TarArchiveEntry(name, type, true); // keep absolute names as written
                if (type == TarArchiveEntry.LF_SYMLINK || type == TarArchiveEntry.LF_LINK) e.setLinkName(data);
                if (type == TarArchiveEntry.LF_CHR) {
                    e.setDevMajor(1);
                    e.setDevMinor(3);
                }
                byte[] content = type == TarArchiveEntry.LF_NORMAL ? data.getBytes(StandardCharsets.UTF_8) : new byte[0];
                e.setSize(content.length);
                t.putArchiveEntry(e);
                t.write(content);
                t.closeArchiveEntry();
            }
        }
        return b.toByteArray();
    }

    static final byte FILE = TarArchiveEntry.LF_NORMAL, DIR = TarArchiveEntry.LF_DIR, SYM = TarArchiveEntry.LF_SYMLINK,
            HARD = TarArchiveEntry.LF_LINK, CHR = TarArchiveEntry.LF_CHR, FIFO = TarArchiveEntry.LF_FIFO;

    Path dest;

    String refused(byte[] archive) throws IOException {
        dest = tmp.resolve("out");
        Launcher.delete(dest);
        Extractor.Refused e = assertThrows(Extractor.Refused.class,
                () -> Extractor.extract(Tar.of(new ByteArrayInputStream(archive)), dest, "pigsty", 1000));
        assertNothingOutside();
        return e.getMessage();
    }

    void assertNothingOutside() throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of("out"), s.map(p -> p.getFileName().toString()).filter(n -> !n.equals("victim")).sorted().toList());
        }
        assertFalse(Files.exists(tmp.resolve("victim/pwned")), "a file was written through the archive");
    }

    @Test
    void extractsAPlainBundle() throws IOException {
        dest = tmp.resolve("out");
        int n = Extractor.extract(Tar.of(new ByteArrayInputStream(tar("pigsty/", DIR, "", "pigsty/a.rpm", FILE, "A",
                "pigsty/repodata/", DIR, "", "pigsty/repodata/repomd.xml", FILE, "<x/>",
                "pigsty/" + "d".repeat(150) + "/long-name-over-100-chars.txt", FILE, "pax"))), dest, "pigsty");
        assertEquals(3, n);
        assertEquals("A", Files.readString(dest.resolve("a.rpm")));
        assertEquals("pax", Files.readString(dest.resolve("d".repeat(150) + "/long-name-over-100-chars.txt")));
    }

    @Test
    void refusesAbsoluteAndDotDotNames() throws IOException {
        assertTrue(refused(tar("/etc/pwned", FILE, "x")).contains("absolute"));
        assertTrue(refused(tar("pigsty/../victim/pwned", FILE, "x")).contains("'..'"));
        assertTrue(refused(tar("pigsty/a/../../victim/pwned", FILE, "x")).contains("'..'"));
        assertTrue(refused(tar("elsewhere/x", FILE, "x")).contains("outside the bundle's top directory"));
        assertTrue(refused(tar("pigsty", FILE, "x")).contains("not a directory"));
    }

    @Test
    void refusesLinksSoNothingIsWrittenThroughThem() throws IOException {
        Files.createDirectories(tmp.resolve("victim"));
        // symlink then file through it: the link alone is refused, so the write never happens
        assertTrue(refused(tar("pigsty/", DIR, "", "pigsty/evil", SYM, tmp.resolve("victim").toString(),
                "pigsty/evil/pwned", FILE, "x")).contains("is a link"));
        assertTrue(refused(tar("pigsty/", DIR, "", "pigsty/hard", HARD, "/etc/shadow")).contains("is a link"));
        assertTrue(refused(tar("pigsty/", DIR, "", "pigsty/up", SYM, "../..")).contains("is a link"));
    }

    @Test
    void refusesDevicesFifosAndDuplicates() throws IOException {
        assertTrue(refused(tar("pigsty/", DIR, "", "pigsty/null", CHR, "")).contains("device or fifo"));
        assertTrue(refused(tar("pigsty/", DIR, "", "pigsty/pipe", FIFO, "")).contains("device or fifo"));
        assertTrue(refused(tar("pigsty/", DIR, "", "pigsty/a", FILE, "1", "pigsty/a", FILE, "2")).contains("twice"));
    }

    @Test
    void refusesHugeEntryCounts() throws IOException {
        Object[] many = new Object[3 * 1002]; // the real limit is 200,000; the mechanism is the same
        many[0] = "pigsty/";
        many[1] = DIR;
        many[2] = "";
        for (int i = 1; i < 1002; i++) {
            many[3 * i] = "pigsty/d" + i + "/";
            many[3 * i + 1] = DIR;
            many[3 * i + 2] = "";
        }
        assertTrue(refused(tar(many)).contains("more than"));
    }

    @Test
    void corruptHeadersAreErrors() throws IOException {
        byte[] good = tar("pigsty/", DIR, "", "pigsty/a", FILE, "hello");
        good[600] ^= 0x55; // inside the second header
        dest = tmp.resolve("out");
        IOException e = assertThrows(IOException.class, () -> Extractor.extract(Tar.of(new ByteArrayInputStream(good)), dest, "pigsty"));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    }
}
