package io.pigsty.offline.format;

import io.pigsty.offline.model.Checksum;
import io.pigsty.offline.model.Repo;

import java.nio.file.Path;

/**
 * One upstream index file: its repo, its type in the format's own words (a repomd data type, or
 * {@code Packages}/{@code Release}), its path below the repo's base URL, the checksum it must have
 * (null for index roots, which nothing signs by hash), its timestamp (seconds, 0 when unknown), and
 * the verified local copy once fetched (null until then).
 */
public record IndexFile(Repo repo, String type, String path, Checksum checksum, long size, long timestamp, Path local) {
    public IndexFile withLocal(Path file) {
        return new IndexFile(repo, type, path, checksum, size, timestamp, file);
    }
}
