package io.pigsty.offline.pack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Writes an ISO9660 image with Rock Ridge names and modes, reproducibly: every date is the given
 * time, entries are sorted by name, and nothing depends on the machine. ISO names are generated
 * (the real names, any length a directory record allows, travel in Rock Ridge NM entries), so the
 * image reads back with full names in xorriso, isoinfo -R, the Linux kernel and cloud-init.
 */
public final class Iso9660 {
    private static final int SECTOR = 2048;

    /** A node of the image: a directory (children by real name) or a file (its source and size). */
    private static final class Node {
        final String name;
        final Path source;
        final long size;
        final TreeMap<String, Node> children;
        Node parent;
        String isoName;
        int number;     // directory number in the path table
        long extent;    // first sector
        long length;    // bytes of the extent

        Node(String name, Path source, long size, boolean dir) {
            this.name = name;
            this.source = source;
            this.size = size;
            this.children = dir ? new TreeMap<>() : null;
        }

        boolean dir() {
            return children != null;
        }
    }

    private Iso9660() {}

    /** Writes {@code files} (image path → source file) as an ISO with volume id {@code label}. */
    public static void write(Map<String, Path> files, String label, long mtime, Path out) throws IOException {
        Node root = new Node("", null, 0, true);
        for (Map.Entry<String, Path> e : new TreeMap<>(files).entrySet()) add(root, e.getKey(), e.getValue());
        List<Node> dirs = new ArrayList<>();
        number(root, dirs);
        byte[] date7 = date7(mtime);

        // Lay out: system area (16), PVD, terminator, path tables, directories, then file data.
        long sector = 18;
        int pathTableSize = pathTable(dirs, true).length;
        long lPath = sector;
        sector += sectors(pathTableSize);
        long mPath = sector;
        sector += sectors(pathTableSize);
        for (Node d : dirs) d.length = directory(d, date7).length; // sizes do not depend on extents
        for (Node d : dirs) {
            d.extent = sector;
            sector += sectors(d.length);
        }
        List<Node> fileOrder = new ArrayList<>();
        collectFiles(root, fileOrder);
        for (Node f : fileOrder) {
            f.extent = f.size == 0 ? 0 : sector;
            f.length = f.size;
            sector += sectors(f.size);
        }
        long total = sector;

        Files.createDirectories(out.toAbsolutePath().getParent());
        Path tmp = out.resolveSibling("." + out.getFileName() + ".tmp" + ProcessHandle.current().pid());
        try (OutputStream o = new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
            o.write(new byte[16 * SECTOR]);
            o.write(primaryDescriptor(label, total, pathTableSize, lPath, mPath, root, date7, mtime));
            byte[] term = new byte[SECTOR];
            term[0] = (byte) 255;
            System.arraycopy("CD001".getBytes(StandardCharsets.US_ASCII), 0, term, 1, 5);
            term[6] = 1;
            o.write(term);
            o.write(pad(pathTable(dirs, true)));
            o.write(pad(pathTable(dirs, false)));
            for (Node d : dirs) o.write(pad(directory(d, date7)));
            byte[] buf = new byte[1 << 16];
            for (Node f : fileOrder) {
                if (f.size == 0) continue;
                long left = f.size;
                try (InputStream in = Files.newInputStream(f.source)) {
                    int n;
                    while (left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0) {
                        o.write(buf, 0, n);
                        left -= n;
                    }
                }
                if (left != 0) throw new IOException(f.source + " changed size while the ISO was written");
                int rest = (int) ((SECTOR - f.size % SECTOR) % SECTOR);
                o.write(new byte[rest]);
            }
        }
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Every regular file below {@code dir}, keyed by its path under {@code prefix}. */
    public static Map<String, Path> tree(Path dir, String prefix) throws IOException {
        Map<String, Path> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s::iterator)
                if (Files.isRegularFile(p)) out.put(prefix + dir.relativize(p).toString().replace('\\', '/'), p);
        }
        return out;
    }

    private static void add(Node root, String path, Path source) throws IOException {
        String[] parts = path.split("/");
        Node cur = root;
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.equals(".") || part.equals("..")) throw new IOException("bad ISO path '" + path + "'");
            boolean last = i == parts.length - 1;
            Node next = cur.children.get(part);
            if (next == null) {
                next = last ? new Node(part, source, Files.size(source), false) : new Node(part, null, 0, true);
                next.parent = cur;
                cur.children.put(part, next);
            } else if (last || !next.dir()) {
                throw new IOException("'" + path + "' is given twice");
            }
            cur = next;
        }
    }

    /** Numbers directories breadth first (the path table's order) and gives every child an ISO name. */
    private static void number(Node root, List<Node> dirs) {
        List<Node> queue = new ArrayList<>(List.of(root));
        root.number = 1;
        for (int i = 0; i < queue.size(); i++) {
            Node d = queue.get(i);
            dirs.add(d);
            int k = 0;
            for (Node c : d.children.values()) {
                // Counter names keep the real names' order, as ISO9660 wants records sorted by name.
                c.isoName = String.format("%s%07d", c.dir() ? "D" : "F", k++) + (c.dir() ? "" : ".;1");
                if (c.dir()) {
                    queue.add(c);
                    c.number = queue.size();
                }
            }
        }
    }

    private static void collectFiles(Node d, List<Node> out) {
        for (Node c : d.children.values()) {
            if (c.dir()) collectFiles(c, out);
            else out.add(c);
        }
    }

    private static long sectors(long bytes) {
        return (bytes + SECTOR - 1) / SECTOR;
    }

    private static byte[] pad(byte[] b) {
        return Arrays.copyOf(b, (int) (sectors(b.length) * SECTOR));
    }

    // ---- records ----------------------------------------------------------------------------------

    /** A directory's extent: ".", "..", then its children, no record crossing a sector boundary. */
    private static byte[] directory(Node d, byte[] date7) throws IOException {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        List<byte[]> records = new ArrayList<>();
        Node parent = d.parent == null ? d : d.parent;
        records.add(record(new byte[] {0}, d.extent, d.length, true, date7, suspDot(d.parent == null, d)));
        records.add(record(new byte[] {1}, parent.extent, parent.length, true, date7, px(true)));
        for (Node c : d.children.values()) {
            byte[] nm = nm(c.name);
            byte[] su = concat(px(c.dir()), nm);
            byte[] r = record(c.isoName.getBytes(StandardCharsets.US_ASCII), c.extent, c.dir() ? c.length : c.size, c.dir(), date7, su);
            records.add(r);
        }
        int used = 0;
        for (byte[] r : records) {
            if (used + r.length > SECTOR) {
                b.write(new byte[SECTOR - used]);
                used = 0;
            }
            b.write(r);
            used += r.length;
        }
        return b.toByteArray();
    }

    private static byte[] record(byte[] id, long extent, long length, boolean dir, byte[] date7, byte[] systemUse) throws IOException {
        int idPad = id.length % 2 == 0 ? 1 : 0;
        int len = 33 + id.length + idPad + systemUse.length;
        if (len % 2 == 1) len++;
        if (len > 255) throw new IOException("name too long for an ISO9660 directory record: " + new String(id, StandardCharsets.US_ASCII));
        if (length > 0xffffffffL) throw new IOException("files over 4 GiB do not fit ISO9660");
        byte[] r = new byte[len];
        r[0] = (byte) len;
        both32(r, 2, extent);
        both32(r, 10, length);
        System.arraycopy(date7, 0, r, 18, 7);
        r[25] = (byte) (dir ? 2 : 0);
        both16(r, 28, 1);
        r[32] = (byte) id.length;
        System.arraycopy(id, 0, r, 33, id.length);
        System.arraycopy(systemUse, 0, r, 33 + id.length + idPad, systemUse.length);
        return r;
    }

    /** The root's "." carries SUSP's SP and the Rock Ridge ER that announce the extensions. */
    private static byte[] suspDot(boolean isRoot, Node d) {
        if (!isRoot) return px(true);
        byte[] sp = {'S', 'P', 7, 1, (byte) 0xBE, (byte) 0xEF, 0};
        byte[] id = "RRIP_1991A".getBytes(StandardCharsets.US_ASCII);
        byte[] des = "ROCK RIDGE 1.09".getBytes(StandardCharsets.US_ASCII);
        byte[] src = "PIGSTY".getBytes(StandardCharsets.US_ASCII);
        byte[] er = new byte[8 + id.length + des.length + src.length];
        er[0] = 'E';
        er[1] = 'R';
        er[2] = (byte) er.length;
        er[3] = 1;
        er[4] = (byte) id.length;
        er[5] = (byte) des.length;
        er[6] = (byte) src.length;
        er[7] = 1;
        System.arraycopy(id, 0, er, 8, id.length);
        System.arraycopy(des, 0, er, 8 + id.length, des.length);
        System.arraycopy(src, 0, er, 8 + id.length + des.length, src.length);
        return concat(sp, px(true), er);
    }

    /** Rock Ridge PX: mode (0755 directories, 0644 files), one link, root:root. */
    private static byte[] px(boolean dir) {
        byte[] p = new byte[36];
        p[0] = 'P';
        p[1] = 'X';
        p[2] = 36;
        p[3] = 1;
        both32(p, 4, dir ? 040755 : 0100644);
        both32(p, 12, dir ? 2 : 1);
        both32(p, 20, 0);
        both32(p, 28, 0);
        return p;
    }

    /** Rock Ridge NM: the real name. */
    private static byte[] nm(String name) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        byte[] e = new byte[5 + n.length];
        e[0] = 'N';
        e[1] = 'M';
        e[2] = (byte) e.length;
        e[3] = 1;
        System.arraycopy(n, 0, e, 5, n.length);
        return e;
    }

    private static byte[] pathTable(List<Node> dirs, boolean littleEndian) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        for (Node d : dirs) {
            byte[] id = d.parent == null ? new byte[] {0} : d.isoName.getBytes(StandardCharsets.US_ASCII);
            byte[] r = new byte[8 + id.length + id.length % 2];
            r[0] = (byte) id.length;
            int parent = d.parent == null ? 1 : d.parent.number;
            if (littleEndian) {
                le32(r, 2, d.extent);
                le16(r, 6, parent);
            } else {
                be32(r, 2, d.extent);
                be16(r, 6, parent);
            }
            System.arraycopy(id, 0, r, 8, id.length);
            b.write(r, 0, r.length);
        }
        return b.toByteArray();
    }

    private static byte[] primaryDescriptor(String label, long total, int pathTableSize, long lPath, long mPath, Node root,
                                            byte[] date7, long mtime) throws IOException {
        byte[] p = new byte[SECTOR];
        p[0] = 1;
        System.arraycopy("CD001".getBytes(StandardCharsets.US_ASCII), 0, p, 1, 5);
        p[6] = 1;
        text(p, 8, 32, "LINUX");
        text(p, 40, 32, label);
        both32(p, 80, total);
        both16(p, 120, 1);
        both16(p, 124, 1);
        both16(p, 128, SECTOR);
        both32(p, 132, pathTableSize);
        le32(p, 140, lPath);
        be32(p, 148, mPath);
        byte[] rootRecord = record(new byte[] {0}, root.extent, root.length, true, date7, new byte[0]);
        System.arraycopy(rootRecord, 0, p, 156, 34);
        text(p, 190, 128, "");
        text(p, 318, 128, "PIGSTY");
        text(p, 446, 128, "PIGSTY OFFLINE BUILDER");
        text(p, 574, 128, "PIGSTY OFFLINE BUILDER");
        text(p, 702, 37 * 3, "");
        byte[] date17 = date17(mtime);
        System.arraycopy(date17, 0, p, 813, 17);
        System.arraycopy(date17, 0, p, 830, 17);
        System.arraycopy(("0000000000000000").getBytes(StandardCharsets.US_ASCII), 0, p, 847, 16);
        System.arraycopy(date17, 0, p, 864, 17);
        p[881] = 1;
        return p;
    }

    private static void text(byte[] b, int off, int len, String s) {
        Arrays.fill(b, off, off + len, (byte) ' ');
        byte[] t = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(t, 0, b, off, Math.min(t.length, len));
    }

    private static byte[] date7(long epoch) {
        ZonedDateTime t = Instant.ofEpochSecond(epoch).atZone(ZoneOffset.UTC);
        return new byte[] {(byte) (t.getYear() - 1900), (byte) t.getMonthValue(), (byte) t.getDayOfMonth(), (byte) t.getHour(),
                (byte) t.getMinute(), (byte) t.getSecond(), 0};
    }

    private static byte[] date17(long epoch) {
        ZonedDateTime t = Instant.ofEpochSecond(epoch).atZone(ZoneOffset.UTC);
        String s = String.format("%04d%02d%02d%02d%02d%02d00", t.getYear(), t.getMonthValue(), t.getDayOfMonth(), t.getHour(),
                t.getMinute(), t.getSecond());
        return Arrays.copyOf(s.getBytes(StandardCharsets.US_ASCII), 17);
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) n += p.length;
        byte[] out = new byte[n];
        int off = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, off, p.length);
            off += p.length;
        }
        return out;
    }

    private static void both32(byte[] b, int off, long v) {
        le32(b, off, v);
        be32(b, off + 4, v);
    }

    private static void both16(byte[] b, int off, int v) {
        le16(b, off, v);
        be16(b, off + 2, v);
    }

    private static void le32(byte[] b, int off, long v) {
        for (int i = 0; i < 4; i++) b[off + i] = (byte) (v >>> (8 * i));
    }

    private static void be32(byte[] b, int off, long v) {
        for (int i = 0; i < 4; i++) b[off + 3 - i] = (byte) (v >>> (8 * i));
    }

    private static void le16(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
    }

    private static void be16(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }
}
