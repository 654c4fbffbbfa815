package io.pigsty.launcher;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * A minimal tar reader (ustar, with pax and GNU long names), enough for the bundles the builder
 * writes and for hostile archives to be recognised as such. Entries are read in order; each one's
 * content must be consumed (or skipped) through {@link #content()} before the next.
 */
final class Tar implements AutoCloseable {
    enum Type { FILE, DIR, SYMLINK, HARDLINK, DEVICE, FIFO, OTHER }

    /** One archive member as its header says; {@code link} is a link's target. */
    record Entry(String name, Type type, long size, String link) {}

    private final InputStream in;
    private long remaining; // content bytes of the current entry not yet read
    private long padding;

    private Tar(InputStream in) {
        this.in = in;
    }

    /** Whether {@link #open} decompresses an archive of this name. */
    static boolean compressed(String name) {
        return name.endsWith(".tgz") || name.endsWith(".gz") || name.endsWith(".zst");
    }

    /** Opens a .tgz/.tar.gz, .tar, or .tar.zst (through the zstd tool; the JDK has no zstd), one file or its parts. */
    static Tar open(Archive a) throws IOException {
        return open(a.name(), a.open());
    }

    /** Reads an archive named {@code n} (its name says its compression) from {@code bytes}. */
    static Tar open(String n, InputStream bytes) throws IOException {
        InputStream raw = new BufferedInputStream(bytes, 1 << 16);
        if (n.endsWith(".tgz") || n.endsWith(".gz")) return new Tar(new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16));
        if (n.endsWith(".zst")) {
            Process p = new ProcessBuilder("zstd", "-dc").redirectError(ProcessBuilder.Redirect.DISCARD).start();
            Thread feed = new Thread(() -> { // the parts' verified bytes into zstd; a refusal ends its input early
                try (raw; java.io.OutputStream to = p.getOutputStream()) {
                    raw.transferTo(to);
                } catch (IOException e) {
                    p.destroy();
                }
            }, "zstd-feed");
            feed.setDaemon(true);
            feed.start();
            return new Tar(new BufferedInputStream(p.getInputStream(), 1 << 16));
        }
        return new Tar(raw);
    }

    static Tar of(InputStream in) {
        return new Tar(in);
    }

    /** The next entry, or null at the end of the archive. */
    Entry next() throws IOException {
        skipRest();
        String longName = null, longLink = null;
        long paxSize = -1;
        while (true) {
            byte[] h = in.readNBytes(512);
            if (h.length == 0) return null;
            if (h.length < 512) throw new EOFException("truncated tar header");
            if (isZero(h)) return null;
            if (!checksumOk(h)) throw new IOException("corrupt tar header (bad checksum)");
            char flag = (char) h[156];
            long size = octal(h, 124, 12);
            if (size < 0) throw new IOException("bad size in tar header");
            if (flag == 'x' || flag == 'L' || flag == 'K') {
                if (size > 1 << 20) throw new IOException("oversized extended tar header");
                byte[] data = in.readNBytes((int) size);
                in.skipNBytes(pad(size));
                if (flag == 'L') longName = cString(data, 0, data.length);
                else if (flag == 'K') longLink = cString(data, 0, data.length);
                else {
                    String[] px = pax(data);
                    if (px[0] != null) longName = px[0];
                    if (px[1] != null) longLink = px[1];
                    if (px[2] != null) paxSize = Long.parseLong(px[2]); // applies to the next header
                }
                continue;
            }
            if (flag == 'g') { // global pax header: nothing we use
                in.skipNBytes(size + pad(size));
                continue;
            }
            if (paxSize >= 0) size = paxSize;
            String name = longName != null ? longName : name(h);
            String link = longLink != null ? longLink : cString(h, 157, 100);
            Type type = switch (flag) {
                case '0', '\0', '7' -> Type.FILE;
                case '5' -> Type.DIR;
                case '2' -> Type.SYMLINK;
                case '1' -> Type.HARDLINK;
                case '3', '4' -> Type.DEVICE;
                case '6' -> Type.FIFO;
                default -> Type.OTHER;
            };
            remaining = type == Type.FILE ? size : 0;
            padding = type == Type.FILE ? pad(size) : 0;
            if (type != Type.FILE && size > 0) in.skipNBytes(size + pad(size));
            return new Entry(name, type, type == Type.FILE ? size : 0, link);
        }
    }

    /** The current entry's content; reading past it returns end of stream. */
    InputStream content() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] b = new byte[1];
                return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (remaining <= 0) return -1;
                int n = in.read(b, off, (int) Math.min(len, remaining));
                if (n < 0) throw new EOFException("truncated tar entry");
                remaining -= n;
                return n;
            }
        };
    }

    private void skipRest() throws IOException {
        if (remaining > 0) in.skipNBytes(remaining);
        if (padding > 0) in.skipNBytes(padding);
        remaining = 0;
        padding = 0;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private static long pad(long size) {
        return (512 - size % 512) % 512;
    }

    private static boolean isZero(byte[] h) {
        for (byte b : h) if (b != 0) return false;
        return true;
    }

    private static boolean checksumOk(byte[] h) {
        long want = octal(h, 148, 8);
        long sum = 0;
        for (int i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? ' ' : h[i] & 0xff;
        return sum == want;
    }

    private static String name(byte[] h) {
        String name = cString(h, 0, 100);
        String prefix = cString(h, 345, 155);
        boolean ustar = new String(h, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
        return ustar && !prefix.isEmpty() ? prefix + "/" + name : name;
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) end++;
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] b, int off, int len) {
        if ((b[off] & 0x80) != 0) { // base-256 (GNU/star big numbers)
            long v = b[off] & 0x7f;
            for (int i = 1; i < len; i++) v = (v << 8) | (b[off + i] & 0xff);
            return v;
        }
        long v = 0;
        for (int i = off; i < off + len; i++) {
            byte c = b[i];
            if (c == 0 || c == ' ') {
                if (v > 0 || i > off && b[i - 1] != ' ') break;
                continue;
            }
            if (c < '0' || c > '7') return -1;
            v = v * 8 + (c - '0');
        }
        return v;
    }

    /** path, linkpath and size records of a pax extended header. */
    private static String[] pax(byte[] data) {
        String[] out = new String[3];
        int i = 0;
        while (i < data.length) {
            int sp = i;
            while (sp < data.length && data[sp] != ' ') sp++;
            int len = Integer.parseInt(new String(data, i, sp - i, StandardCharsets.US_ASCII));
            if (len <= 0 || i + len > data.length) break;
            String rec = new String(data, sp + 1, i + len - sp - 2, StandardCharsets.UTF_8);
            int eq = rec.indexOf('=');
            if (eq > 0) {
                String k = rec.substring(0, eq), v = rec.substring(eq + 1);
                if (k.equals("path")) out[0] = v;
                else if (k.equals("linkpath")) out[1] = v;
                else if (k.equals("size")) out[2] = v;
            }
            i += len;
        }
        return out;
    }
}
