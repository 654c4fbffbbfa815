package io.pigsty.offline.metadata;

import io.pigsty.offline.format.Format;
import io.pigsty.offline.format.IndexFile;
import io.pigsty.offline.format.IndexSet;
import io.pigsty.offline.model.Checksum;
import io.pigsty.offline.model.Log;
import io.pigsty.offline.model.PackageId;
import io.pigsty.offline.model.Repo;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which packages own the file paths that file requirements name, read from the repos' file lists
 * once and kept between runs: the answer depends only on the lists' checksums and the paths asked
 * for, so a warm plan neither fetches, hashes nor parses file lists (tens of MB on a real EL repo).
 */
public final class FileOwners {
    private static final int MAGIC = 0x50474631; // "PGF1"

    private FileOwners() {}

    /** The owners, and {@code index} with the file lists local when they had to be read. */
    public record Found(Map<PackageId, List<String>> owners, IndexSet index) {}

    public static Found find(Format format, Collection<String> paths, IndexSet index, Set<Repo> repos, MetaSource meta, Log log)
            throws IOException {
        if (paths.isEmpty() || format.fileListTypes().isEmpty()) return new Found(Map.of(), index);
        MessageDigest key = Checksum.digest("SHA-256");
        for (IndexFile f : index.files())
            if (format.fileListTypes().contains(f.type()) && repos.contains(f.repo()))
                key.update((f.repo().name() + "\0" + f.checksum() + "\0").getBytes(StandardCharsets.UTF_8));
        for (String p : paths) key.update((p + "\0").getBytes(StandardCharsets.UTF_8));
        Path cached = meta.derived("file-owners-" + HexFormat.of().formatHex(key.digest()));
        if (cached != null && Files.isRegularFile(cached)) {
            try {
                return new Found(read(cached), index);
            } catch (IOException e) {
                log.warn("ignoring unreadable cached file owners " + cached + " (" + e.getMessage() + ")");
            }
        }
        IndexSet full = MetadataLoader.complete(index, format.fileListTypes(), repos, meta);
        Map<PackageId, List<String>> owners = format.fileOwners(paths, full);
        if (cached != null) write(cached, owners, log);
        return new Found(owners, full);
    }

    private static Map<PackageId, List<String>> read(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (in.readInt() != MAGIC) throw new IOException("not a file-owners cache");
            int n = in.readInt();
            Map<PackageId, List<String>> out = new HashMap<>();
            for (int i = 0; i < n; i++) {
                PackageId id = new PackageId(in.readUTF(), in.readUTF());
                int k = in.readInt();
                List<String> files = new ArrayList<>(Math.min(k, 1024));
                for (int j = 0; j < k; j++) files.add(in.readUTF());
                out.put(id, files);
            }
            return out;
        }
    }

    private static void write(Path file, Map<PackageId, List<String>> owners, Log log) throws IOException {
        ParsedCache.keep(file, out -> {
            out.writeInt(MAGIC);
            out.writeInt(owners.size());
            for (Map.Entry<PackageId, List<String>> e : owners.entrySet()) {
                out.writeUTF(e.getKey().repo());
                out.writeUTF(e.getKey().checksum());
                out.writeInt(e.getValue().size());
                for (String f : e.getValue()) out.writeUTF(f);
            }
        }, "cannot cache file owners", log);
    }
}
