package io.pigsty.offline.fetch;

import io.pigsty.offline.model.Checksum;
import io.pigsty.offline.model.FileTrees;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The download cache, shared by every build and target: verified files are stored under their
 * checksum ({@code blobs/sha256/ab/abcd...}), so a file is fetched once whatever repo or bundle
 * needs it; index roots (repomd.xml, InRelease) are stored by URL with their validators.
 */
public final class Cache {
    private final Path root;

    public Cache(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        Files.createDirectories(this.root);
        // index roots written by a run that was killed (partial packages stay: they resume)
        FileTrees.sweep(this.root.resolve("roots"), "*.tmp*");
        FileTrees.sweep(this.root.resolve("derived"), "*.tmp*");
    }

    public Path root() {
        return root;
    }

    /** Where a verified file with this checksum lives (it may not exist yet). */
    public Path blob(Checksum sum) {
        String algo = sum.metadataName();
        return root.resolve("blobs").resolve(algo).resolve(sum.hex().substring(0, 2)).resolve(sum.hex());
    }

    /** The partial download beside a blob; kept across runs so an interrupted transfer resumes. */
    public Path partial(Checksum sum) {
        Path b = blob(sum);
        return b.resolveSibling(b.getFileName() + ".part");
    }

    /** The cached copy of an index root fetched from {@code url}, and its validators beside it. */
    public Path rootFile(String url) {
        return root.resolve("roots").resolve(sha256(url));
    }

    public Path rootValidators(String url) {
        return root.resolve("roots").resolve(sha256(url) + ".validators");
    }

    /** Data derived from verified metadata (parsed package lists), named by what it derives from. */
    public Path derived(String name) {
        return root.resolve("derived").resolve(name);
    }

    /**
     * Moves a verified file whose sha256 is {@code sha256} into the cache under it and returns the blob
     * (for files that came with no checksum ahead: URL packages, packages built here).
     */
    public Path store(Path file, Checksum sha256) throws IOException {
        Path dest = blob(sha256);
        Files.createDirectories(dest.getParent());
        Files.move(file, dest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return dest;
    }

    /** A directory the builder keeps its own reusable work in ({@code launcher}, {@code image}), created on demand. */
    public Path work(String name) throws IOException {
        return Files.createDirectories(root.resolve("work").resolve(name));
    }

    /** A scratch file for downloads whose checksum is not known ahead (URL packages). */
    public Path scratch(String url) throws IOException {
        Path dir = root.resolve("scratch");
        Files.createDirectories(dir);
        return dir.resolve(sha256(url) + ".part");
    }

    private static String sha256(String s) {
        return Checksum.sha256Hex(s.getBytes(StandardCharsets.UTF_8));
    }
}
