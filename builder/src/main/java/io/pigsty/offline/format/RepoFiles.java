package io.pigsty.offline.format;

import io.pigsty.offline.model.Checksum;
import io.pigsty.offline.model.Package;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * One repo's files as a format's reader asks for them; the metadata stage fetches, verifies and
 * caches them, so a reader only ever sees verified local files.
 */
public interface RepoFiles {
    /** The index root ({@code repodata/repomd.xml}, {@code InRelease}): revalidated, covered by no checksum. */
    Path root(String path) throws IOException;

    /** Like {@link #root} but null when the server has no such file, for optional roots. */
    Path optionalRoot(String path) throws IOException;

    /** A file the root names with its checksum: from the cache when present, else fetched and verified. */
    Path file(String path, Checksum expected, long size) throws IOException;

    /**
     * The packages of one index file, parsed by {@code parse} once per {@code key} (which names the
     * file's checksum) and kept for later builds.
     */
    Parsed parsed(String key, Parse parse) throws IOException;

    /**
     * A small form of one index file a format derives for itself (RPM: the module streams of
     * modules.yaml), made by {@code derive} once per {@code key} (which names the file's checksum)
     * and kept for later builds.
     */
    byte[] derived(String key, Derive derive) throws IOException;

    /** Derives the small form. */
    interface Derive {
        byte[] derive() throws IOException;
    }

    /** Parses one index file into {@code sink}, record by record. */
    interface Parse {
        void parse(Sink sink) throws IOException;
    }

    /**
     * Where a parse puts what it reads: each package as it is read (the parsed cache writes it out and
     * lets it go, so a cold plan never holds a distro's packages as objects), and each record left out.
     */
    interface Sink {
        void add(Package p) throws IOException;

        void drop(String line);
    }

    /** One index file's packages, and the records left out because they could not be read (one line each). */
    record Parsed(List<Package> packages, List<String> dropped) {
        public Parsed {
            packages = List.copyOf(packages);
            dropped = List.copyOf(dropped);
        }
    }
}
