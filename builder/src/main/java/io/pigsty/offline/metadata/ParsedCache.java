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
                RepoFiles.Parsed pkgs = PackageCodec.read(Files.readAllBytes(cached), repo);
                if (pkgs != null) return pkgs;
            } catch (IOException e) {
                log.warn(where + ": ignoring unreadable parsed cache " + cached + " (" + e.getMessage() + ")");
            }
        }
        RepoFiles.Parsed pkgs = parse.parse();
        if (cached != null) {
            Files.createDirectories(cached.getParent());
            Path tmp = cached.resolveSibling(cached.getFileName() + ".tmp" + ProcessHandle.current().pid());
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
                PackageCodec.write(out, pkgs);
            } catch (IOException e) {
                Files.deleteIfExists(tmp);
                log.warn(where + ": cannot cache parsed metadata (" + e.getMessage() + ")");
                return pkgs;
            }
            Files.move(tmp, cached, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        return pkgs;
    }
}
