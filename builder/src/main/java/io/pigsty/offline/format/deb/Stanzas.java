package io.pigsty.offline.format.deb;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Streams deb822 paragraphs (Packages, Release bodies, control files) at the byte level: only the
 * fields asked for become Strings, everything else (descriptions above all) is skipped without
 * allocation. A file can be split among threads at any offsets (see {@link #read(InputStream, long,
 * long, Consumer)}); every paragraph is read by exactly one of them.
 */
final class Stanzas {
    /** One paragraph: the wanted fields by index into the reader's field list, and its raw text if kept. */
    static final class Stanza {
        final String[] values;
        byte[] raw;

        Stanza(int n) {
            values = new String[n];
        }

        String get(int field) {
            return values[field];
        }
    }

    private final byte[][] names;
    private final boolean keepRaw;

    /** @param fields the field names to keep (matched without regard to case) */
    Stanzas(boolean keepRaw, String... fields) {
        this.keepRaw = keepRaw;
        names = new byte[fields.length][];
        for (int i = 0; i < fields.length; i++)
            names[i] = fields[i].toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
    }

    /** The longest line read (64 MiB): a Description is kilobytes, a Packages file tens of megabytes. */
    static final int LINE_MAX = 64 << 20;

    void read(InputStream in, Consumer<Stanza> sink) throws IOException {
        read(in, 0, Long.MAX_VALUE, sink);
    }

    /**
     * Reads the paragraphs of one share of a file split at offsets: {@code in} starts at file offset
     * {@code at}. A reader that starts mid-file ({@code at > 0}) skips to the first blank line that
     * begins after {@code at} (the line at {@code at} itself may be the tail of a longer one); a
     * reader stops at the first blank line that begins after {@code until}. Two readers that meet at
     * an offset thus agree on which paragraph is whose.
     */
    void read(InputStream in, long at, long until, Consumer<Stanza> sink) throws IOException {
        byte[] buf = new byte[1 << 16];
        int len = 0, pos = 0;
        long base = at; // file offset of buf[0]
        boolean eof = false, skipping = at > 0;
        Stanza cur = null;
        int field = -1;            // the wanted field a continuation line would extend, -1 if none
        StringBuilder cont = null; // a wanted field spanning several lines
        ByteArrayOutputStream raw = keepRaw ? new ByteArrayOutputStream(2048) : null;
        while (true) {
            int eol = indexOf(buf, (byte) '\n', pos, len);
            if (eol < 0) {
                if (!eof) {
                    // Keep the partial line, refill behind it.
                    System.arraycopy(buf, pos, buf, 0, len - pos);
                    base += pos;
                    len -= pos;
                    pos = 0;
                    if (len == buf.length) {
                        // no real index has such a line; an endless one must not grow the buffer past int
                        if (buf.length >= LINE_MAX)
                            throw new io.pigsty.offline.model.MetadataException("a line longer than " + LINE_MAX
                                    + " bytes at offset " + base + "; this is not an apt index");
                        buf = Arrays.copyOf(buf, buf.length * 2);
                    }
                    int n = in.read(buf, len, buf.length - len);
                    if (n < 0) eof = true;
                    else len += n;
                    continue;
                }
                if (pos >= len) break;
                if (len == buf.length) buf = Arrays.copyOf(buf, buf.length + 1);
                buf[len] = '\n'; // a last line without its newline
                eol = len++;
            }
            long lineOffset = base + pos;
            boolean blank = eol == pos || eol == pos + 1 && buf[pos] == '\r';
            if (skipping) { // the share before the first real blank line belongs to the previous reader
                pos = eol + 1;
                if (blank && lineOffset > at) {
                    if (lineOffset > until) return; // that blank line already ends this share: nothing here
                    skipping = false;
                }
                continue;
            }
            if (blank) {
                if (cur != null) {
                    finish(cur, field, cont);
                    if (raw != null) cur.raw = raw.toByteArray();
                    sink.accept(cur);
                    cur = null;
                }
                field = -1;
                cont = null;
                pos = eol + 1;
                if (lineOffset > until) return;
                continue;
            }
            if (cur == null) {
                cur = new Stanza(names.length);
                if (raw != null) raw.reset();
            }
            if (raw != null) raw.write(buf, pos, eol + 1 - pos);
            byte c0 = buf[pos];
            if (c0 == ' ' || c0 == '\t') {
                if (field >= 0) {
                    if (cont == null) cont = new StringBuilder(cur.values[field]);
                    cont.append('\n').append(new String(buf, pos, eol - pos, StandardCharsets.UTF_8).stripTrailing());
                }
            } else {
                finish(cur, field, cont);
                cont = null;
                field = -1;
                int colon = indexOf(buf, (byte) ':', pos, eol);
                if (colon > pos) {
                    field = match(buf, pos, colon);
                    if (field >= 0) {
                        int v = colon + 1;
                        while (v < eol && (buf[v] == ' ' || buf[v] == '\t')) v++;
                        int end = eol;
                        while (end > v && (buf[end - 1] == '\r' || buf[end - 1] == ' ' || buf[end - 1] == '\t')) end--;
                        cur.values[field] = new String(buf, v, end - v, StandardCharsets.UTF_8);
                    }
                }
            }
            pos = eol + 1;
        }
        if (cur != null) {
            finish(cur, field, cont);
            if (raw != null) cur.raw = raw.toByteArray();
            sink.accept(cur);
        }
    }

    private static void finish(Stanza cur, int field, StringBuilder cont) {
        if (field >= 0 && cont != null) cur.values[field] = cont.toString();
    }

    private int match(byte[] b, int from, int to) {
        int n = to - from;
        outer:
        for (int i = 0; i < names.length; i++) {
            byte[] name = names[i];
            if (name.length != n) continue;
            for (int k = 0; k < n; k++) {
                byte c = b[from + k];
                if (c >= 'A' && c <= 'Z') c += 32;
                if (c != name[k]) continue outer;
            }
            return i;
        }
        return -1;
    }

    private static int indexOf(byte[] b, byte c, int from, int to) {
        for (int i = from; i < to; i++) if (b[i] == c) return i;
        return -1;
    }
}
