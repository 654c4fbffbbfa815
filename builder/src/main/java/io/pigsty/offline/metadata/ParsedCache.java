package io.pigsty.offline.metadata;

import io.pigsty.offline.format.RepoFiles;
import io.pigsty.offline.model.Log;
import io.pigsty.offline.model.Package;
import io.pigsty.offline.model.Repo;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Parsed package lists kept between runs, one file per verified index file (named by its checksum
 * and the codec version), so a warm plan turns no XML or Packages text into objects twice.
 */
final class ParsedCache {
    private ParsedCache() {}

    /**
     * The packages from {@code cached} when present and readable (opened ahead by {@code prefetch}, or
     * now), else parsed straight into it and read back ({@code cached} may be null: no cache; the
     * packages are then parsed into memory).
     */
    static RepoFiles.Parsed get(Path cached, Repo repo, RepoFiles.Parse parse, String where, Log log, Prefetch prefetch)
            throws IOException {
        PackageCodec.Opened ahead = cached == null ? null : prefetch.take(cached);
        if (ahead != null) return ahead.parsed(repo);
        if (cached != null && Files.isRegularFile(cached)) {
            try {
                RepoFiles.Parsed pkgs = PackageCodec.read(cached, repo, false);
                if (pkgs != null) return pkgs;
            } catch (IOException e) {
                log.warn(where + ": ignoring unreadable parsed cache " + cached + " (" + e.getMessage() + ")");
            }
        }
        // Each package is written as it is parsed and let go, then the file is read as a warm plan
        // reads it: a cold plan never holds a distro's packages as objects, nor indexes them in memory.
        // The writer keeps a failed write for finish(), so an IOException out of the parse is the
        // metadata's: it goes through keep() unchecked and fails the repo, never just the cache.
        boolean written;
        try {
            written = cached != null && keep(cached, out -> {
                PackageCodec.Writer w = PackageCodec.writer(out);
                try {
                    parse.parse(w);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                w.finish();
            }, where + ": cannot cache parsed metadata; parsing it into memory", log);
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
        if (written) {
            try {
                RepoFiles.Parsed read = PackageCodec.read(cached, repo, true);
                if (read != null) return read;
            } catch (IOException e) {
                log.warn(where + ": cannot read back the parsed cache " + cached + " (" + e.getMessage() + ")");
            }
        }
        List<Package> pkgs = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        parse.parse(new RepoFiles.Sink() {
            @Override
            public void add(Package p) {
                pkgs.add(p);
            }

            @Override
            public void drop(String line) {
                dropped.add(line);
            }
        });
        return new RepoFiles.Parsed(pkgs, dropped);
    }

    /** The bytes in {@code cached} when present and readable, else derived and written there ({@code cached} may be null). */
    static byte[] derived(Path cached, RepoFiles.Derive derive, String where, Log log) throws IOException {
        if (cached != null && Files.isRegularFile(cached)) {
            try {
                return Files.readAllBytes(cached);
            } catch (IOException e) {
                log.warn(where + ": ignoring unreadable cached " + cached + " (" + e.getMessage() + ")");
            }
        }
        byte[] b = derive.derive();
        if (cached != null) keep(cached, out -> out.write(b), where + ": cannot cache derived metadata", log);
        return b;
    }

    /** Writes one derived file. */
    interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    /**
     * Writes a derived file whole or not at all (a temporary name, then a rename); a failure costs
     * only the cache, so it is told as a warning ({@code what}) and the build goes on; an unchecked
     * exception out of {@code body} is the caller's and passes, the file unwritten. Whether it was written.
     */
    static boolean keep(Path file, Body body, String what, Log log) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp" + ProcessHandle.current().pid());
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
            body.write(out);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            log.warn(what + " (" + e.getMessage() + ")");
            return false;
        } catch (RuntimeException e) { // not the cache's failure: the body's own, for the caller
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return true;
    }
}
