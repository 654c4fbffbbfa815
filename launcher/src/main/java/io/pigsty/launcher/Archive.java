package io.pigsty.launcher;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A bundle archive on disk: one file, or media-sized parts that its {@code <name>.parts.json} lists
 * (found beside the list or in the other directories given, e.g. several mounted discs). Parts are
 * read in order as one stream, each checked against its size and sha256 as it ends, and never
 * joined on disk.
 */
record Archive(String name, List<Part> parts, long size, Path where) {
    /** One part: its file, and for parts its stated size and sha256 (null for a single file). */
    record Part(Path file, long size, String sha256) {}

    static final String LIST_SUFFIX = ".parts.json";

    /** {@code file} as an archive: a .parts.json names its parts, anything else is one file. */
    static Archive of(Path file, List<Path> partDirs) throws IOException {
        String n = file.getFileName().toString();
        if (!n.endsWith(LIST_SUFFIX)) return new Archive(n, List.of(new Part(file, Files.size(file), null)), Files.size(file), file);
        if (Files.size(file) > 1 << 20) throw new Bundle.Invalid(file + " is too large for a list of parts");
        Object doc;
        try {
            doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new Bundle.Invalid(file + ": unreadable list of parts (" + e.getMessage() + ")");
        }
        if (!(doc instanceof Map<?, ?> m) || !(m.get("parts") instanceof List<?> list) || !(m.get("file") instanceof String archive)
                || archive.contains("/") || !(m.get("size") instanceof Number total))
            throw new Bundle.Invalid(file + " is not a list of parts (file, size, parts)");
        List<Path> dirs = new ArrayList<>();
        dirs.add(file.toAbsolutePath().getParent());
        dirs.addAll(partDirs);
        List<Part> parts = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof Map<?, ?> p) || !(p.get("name") instanceof String pn) || !pn.startsWith(archive + ".part-")
                    || pn.contains("/") || !(p.get("size") instanceof Number size) || !(p.get("sha256") instanceof String sha))
                throw new Bundle.Invalid(file + ": a malformed part entry " + o);
            Path found = null;
            for (Path d : dirs) if (Files.isRegularFile(d.resolve(pn))) {
                found = d.resolve(pn);
                break;
            }
            if (found == null) throw new Bundle.Invalid(pn + " is missing: looked in " + dirs + " (mount its medium and give it with --parts DIR)");
            parts.add(new Part(found, size.longValue(), sha));
        }
        return new Archive(archive, parts, total.longValue(), file);
    }

    /** The archive's bytes, with a way to name a damaged part when what was read from it made no sense. */
    abstract static class Bytes extends InputStream {
        /** Says which part read so far differs from the list (read again from its medium), or null when none does. */
        abstract String damaged();
    }

    /** The archive's bytes: the parts one after the other, each refused as soon as it is not the one listed. */
    Bytes open() {
        return new Bytes() {
            private int i;
            private InputStream cur;
            private MessageDigest md;
            private long read;

            @Override
            public int read() throws IOException {
                byte[] b = new byte[1];
                return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) return 0; // a read of nothing is not the end of a part
                while (i < parts.size()) {
                    Part p = parts.get(i);
                    if (cur == null) {
                        cur = Files.newInputStream(p.file());
                        md = sha256();
                        read = 0;
                    }
                    int n = cur.read(b, off, len);
                    if (n > 0) {
                        md.update(b, off, n);
                        read += n;
                        if (p.sha256() != null && read > p.size()) throw wrong(p);
                        return n;
                    }
                    cur.close();
                    cur = null;
                    if (p.sha256() != null && (read != p.size() || !HexFormat.of().formatHex(md.digest()).equals(p.sha256())))
                        throw wrong(p);
                    i++;
                }
                return -1;
            }

            private Bundle.Invalid wrong(Part p) {
                return new Bundle.Invalid(p.file() + " is not the part " + where.getFileName() + " lists (its size or sha256"
                        + " differs): a damaged or wrong medium");
            }

            @Override
            String damaged() {
                // read again from the medium (the stream may be closed by now): the part reached so far
                for (int k = 0; k <= Math.min(i, parts.size() - 1); k++) {
                    Part p = parts.get(k);
                    if (p.sha256() == null) continue;
                    try (InputStream in = Files.newInputStream(p.file())) {
                        MessageDigest d = sha256();
                        long n = 0;
                        byte[] b = new byte[1 << 16];
                        for (int r; (r = in.read(b)) > 0; n += r) d.update(b, 0, r);
                        if (n != p.size() || !HexFormat.of().formatHex(d.digest()).equals(p.sha256())) return wrong(p).getMessage();
                    } catch (IOException e) {
                        return p.file() + " cannot be read (" + e.getMessage() + "): a damaged medium";
                    }
                }
                return null;
            }

            @Override
            public void close() throws IOException {
                if (cur != null) cur.close();
            }
        };
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
