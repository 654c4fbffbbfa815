package io.pigsty.offline.metadata;

import io.pigsty.offline.model.Checksum;
import io.pigsty.offline.model.Repo;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Where the metadata stage gets repository files from. The implementation (in {@code fetch})
 * tries the repo's mirrors in order, verifies, and caches; readers only see local verified files.
 */
public interface MetaSource {
    /**
     * The index root ({@code repodata/repomd.xml}, {@code InRelease}): not covered by any checksum,
     * so a cached copy is revalidated with the server.
     */
    Path root(Repo repo, String path) throws IOException;

    /** Like {@link #root} but absent (null) when the server says 404, for optional files. */
    Path optionalRoot(Repo repo, String path) throws IOException;

    /** A file the root names with its checksum: served from the cache when present, else fetched and verified. */
    Path file(Repo repo, String path, Checksum expected, long size) throws IOException;

    /**
     * Where data derived from verified metadata may be kept between runs (parsed package lists),
     * named by the caller from the checksums it derives from; null when there is no cache.
     */
    default Path derived(String name) {
        return null;
    }
}
