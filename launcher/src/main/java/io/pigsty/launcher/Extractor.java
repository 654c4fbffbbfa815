package io.pigsty.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * Extracts an archive into a fresh directory and nothing outside it: only plain files and
 * directories, names that are plain relative paths below one expected top directory, no link of
 * any kind, no device or fifo, no entry twice, a bounded number of entries. Anything else stops the
 * extraction with the offending entry named; the caller removes the half-written directory.
 */
final class Extractor {
    static final int MAX_ENTRIES = 200_000;

    private Extractor() {}

    /** Why an archive was refused. */
    static final class Refused extends IOException {
        Refused(String message) {
            super(message);
        }
    }

    /**
     * Extracts {@code tar} under {@code dest} (which must not exist yet). Every name must start with
     * {@code top + "/"} unless {@code top} is null. Returns the number of files written.
     */
    static int extract(Tar tar, Path dest, String top) throws IOException {
        return extract(tar, dest, top, MAX_ENTRIES);
    }

    static int extract(Tar tar, Path dest, String top, int maxEntries) throws IOException {
        Files.createDirectories(dest.getParent());
        Files.createDirectory(dest);
        Set<String> seen = new HashSet<>();
        int files = 0, entries = 0;
        byte[] buf = new byte[1 << 16];
        for (Tar.Entry e; (e = tar.next()) != null; ) {
            if (++entries > maxEntries) throw new Refused("more than " + maxEntries + " entries: refusing the archive");
            String name = check(e, top);
            if (name.isEmpty()) continue; // the top directory itself
            if (!seen.add(name)) throw new Refused("entry '" + e.name() + "' appears twice");
            Path target = dest.resolve(name).normalize();
            if (!target.startsWith(dest)) throw new Refused("entry '" + e.name() + "' would land outside " + dest);
            if (e.type() == Tar.Type.DIR) {
                mkdirs(dest, target);
                continue;
            }
            mkdirs(dest, target.getParent());
            // CREATE_NEW with NOFOLLOW_LINKS: never writes through anything that was already there.
            try (InputStream in = tar.content();
                 OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                         LinkOption.NOFOLLOW_LINKS)) {
                int n;
                while ((n = in.read(buf)) > 0) out.write(buf, 0, n);
            }
            files++;
        }
        return files;
    }

    /** The entry's path below {@code top}, after refusing every kind of entry that could escape. */
    static String check(Tar.Entry e, String top) throws Refused {
        String n = e.name();
        switch (e.type()) {
            case FILE, DIR -> { }
            case SYMLINK, HARDLINK -> throw new Refused("entry '" + n + "' is a link (to '" + e.link() + "'): bundles hold no links");
            case DEVICE, FIFO -> throw new Refused("entry '" + n + "' is a device or fifo");
            default -> throw new Refused("entry '" + n + "' has an unknown type");
        }
        if (n.isEmpty() || n.startsWith("/") || n.indexOf('\0') >= 0 || n.indexOf('\\') >= 0)
            throw new Refused("entry '" + n + "' has an absolute or malformed name");
        String p = n.startsWith("./") ? n.substring(2) : n;
        if (p.endsWith("/")) p = p.substring(0, p.length() - 1);
        for (String seg : p.split("/", -1))
            if (seg.isEmpty() || seg.equals(".") || seg.equals(".."))
                throw new Refused("entry '" + n + "' has an empty, '.' or '..' path segment");
        if (top == null) return p;
        if (p.equals(top)) {
            if (e.type() != Tar.Type.DIR) throw new Refused("entry '" + n + "' is not a directory");
            return "";
        }
        if (!p.startsWith(top + "/")) throw new Refused("entry '" + n + "' is outside the bundle's top directory '" + top + "/'");
        return p.substring(top.length() + 1);
    }

    private static void mkdirs(Path dest, Path dir) throws IOException {
        if (!dir.startsWith(dest)) throw new Refused(dir + " is outside " + dest);
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) return;
        mkdirs(dest, dir.getParent());
        Files.createDirectory(dir);
    }
}
