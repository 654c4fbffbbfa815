package io.pigsty.offline.metadata;

import io.pigsty.offline.format.RepoFiles;
import io.pigsty.offline.model.Log;
import io.pigsty.offline.model.Repo;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Parsed package lists kept between runs, one file per verified index file (named by its checksum
 * and the codec version), so a warm plan turns no XML or Packages text into objects twice.
 */
final class ParsedCache {
    private ParsedCache() {}

    /** The packages from {@code cached} when present and readable, else parsed and written there ({@code cached} may be null: no cache). */
    static RepoFiles.Parsed get(Path cached, Repo repo, RepoFiles.Parse parse, String where, Log log) throws IOException {
        if (cached != null && Files.isRegularFile(cached)) {
            try {
                RepoFiles.Parsed pkgs = PackageCodec.read(cached, repo);
                if (pkgs != null) return pkgs;
            } catch (IOException e) {
                log.warn(where + ": ignoring unreadable parsed cache " + cached + " (" + e.getMessage() + ")");
            }
        }
        RepoFiles.Parsed pkgs = parse.parse();
        if (cached != null) keep(cached, out -> PackageCodec.write(out, pkgs), where + ": cannot cache parsed metadata", log);
        return pkgs;
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
     * only the cache, so it is told as a warning ({@code what}) and the build goes on.
     */
    static void keep(Path file, Body body, String what, Log log) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp" + ProcessHandle.current().pid());
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
            body.write(out);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            log.warn(what + " (" + e.getMessage() + ")");
            return;
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
