package io.pigsty.offline.repo;

import io.pigsty.bundle.BundleLayout;
import io.pigsty.offline.format.BundleKey;
import io.pigsty.offline.format.Format;
import io.pigsty.offline.format.IndexSet;
import io.pigsty.offline.model.BuildException;
import io.pigsty.offline.model.ExitCode;
import io.pigsty.offline.model.FileTrees;
import io.pigsty.offline.model.Log;
import io.pigsty.offline.model.SafePaths;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Lays out the local repo: packages flat in a staging directory beside the destination, then the
 * index, then {@code manifest.json} and the SBOM, then {@code repo_complete} (one sha256sum line per file of the tree),
 * and only then an atomic swap with the destination. A failed or killed build leaves the
 * destination as it was; its staging directory is swept by the next run.
 */
public final class RepoTree {
    /** A verified package file in the cache and how it is shipped. */
    public record Item(Format.Shipped shipped, Path source) {}

    private RepoTree() {}

    /**
     * @param extras files laid into the tree besides the packages (firstboot.sh, inventory/pigsty.yml,
     *               src/...), by relative path; copied, never linked, and listed in the manifest
     */
    public static void publish(Path dest, List<Item> items, Map<String, Path> extras, Format format, IndexSet index,
                               long timestamp, String manifestJson, Sbom.Subject sbom, BundleKey key, Log log) throws IOException {
        Path parent = dest.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        String base = dest.getFileName().toString();
        sweep(parent, base, log);
        Path staging = parent.resolve("." + base + ".staging-" + ProcessHandle.current().pid());
        Files.createDirectories(staging);
        boolean done = false;
        try {
            Map<String, Item> byName = new HashMap<>();
            for (Item it : items) {
                String name = it.shipped().fileName();
                if (!SafePaths.safeFileName(name) || name.equals(BundleLayout.COMPLETE) || name.equals(BundleLayout.MANIFEST)
                        || name.equals(BundleLayout.SBOM) || name.equals(BundleLayout.SBOM_SPDX) || name.equals(BundleLayout.REPODATA)
                        || name.equals(BundleLayout.COMPLETE_SIGNATURE) || name.equals(BundleLayout.KEYS_DIR))
                    throw new BuildException(ExitCode.FAILED, "refusing package file name '" + name + "'");
                Item prev = byName.putIfAbsent(name, it);
                if (prev != null) {
                    if (prev.shipped().sha256().equals(it.shipped().sha256())) continue;
                    throw new BuildException(ExitCode.FAILED, "two different packages would both be written as "
                            + name + ": " + prev.shipped().pkg().nevra() + " from " + prev.shipped().pkg().repo().name()
                            + " and " + it.shipped().pkg().nevra() + " from " + it.shipped().pkg().repo().name());
                }
                place(it.source(), staging.resolve(name));
            }
            for (Map.Entry<String, Path> x : extras.entrySet()) {
                if (!SafePaths.safeRelative(x.getKey()) || byName.containsKey(x.getKey()))
                    throw new BuildException(ExitCode.FAILED, "refusing extra file name '" + x.getKey() + "'");
                Path target = staging.resolve(x.getKey());
                Files.createDirectories(target.getParent());
                Files.copy(x.getValue(), target, StandardCopyOption.COPY_ATTRIBUTES);
            }
            List<Format.Shipped> shipped = byName.values().stream().map(Item::shipped)
                    .sorted(Comparator.comparing(Format.Shipped::fileName)).toList();
            Map<String, Format.About> about = format.writeIndex(staging, shipped, index, timestamp, key);
            if (key != null) {
                Files.createDirectories(staging.resolve(BundleLayout.KEYS_DIR));
                Files.writeString(staging.resolve(BundleLayout.BUNDLE_KEY), key.publicKeyArmored());
            }
            Files.writeString(staging.resolve(BundleLayout.MANIFEST), manifestJson);
            if (sbom.kinds().contains(Sbom.Kind.CYCLONEDX))
                Files.writeString(staging.resolve(BundleLayout.SBOM), Sbom.json(sbom, shipped, about, format.rules(), format.nativeArch(sbom.arch())));
            if (sbom.kinds().contains(Sbom.Kind.SPDX))
                Files.writeString(staging.resolve(BundleLayout.SBOM_SPDX), Spdx.json(sbom, shipped, about, format.rules(), format.nativeArch(sbom.arch())));
            // Every file of the tree but this list itself: the target checks all it will read (the index,
            // the manifest, the inventory it runs), and refuses any file not listed.
            Map<String, String> sums = new java.util.TreeMap<>();
            for (Format.Shipped s : shipped) sums.put(s.fileName(), s.sha256());
            try (java.util.stream.Stream<Path> files = Files.walk(staging)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    String rel = staging.relativize(p).toString().replace('\\', '/');
                    if (Files.isRegularFile(p) && !sums.containsKey(rel)) sums.put(rel, io.pigsty.offline.model.Checksum.sha256Of(p));
                }
            }
            StringBuilder complete = new StringBuilder();
            for (Map.Entry<String, String> s : sums.entrySet()) complete.append(s.getValue()).append("  ").append(s.getKey()).append('\n');
            Path tmp = staging.resolve("." + BundleLayout.COMPLETE + ".tmp");
            Files.writeString(tmp, complete);
            if (key != null) // the one file repo_complete cannot list: its signature
                Files.write(staging.resolve(BundleLayout.COMPLETE_SIGNATURE), key.detached(new java.io.ByteArrayInputStream(
                        complete.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)), timestamp));
            Files.move(tmp, staging.resolve(BundleLayout.COMPLETE), StandardCopyOption.ATOMIC_MOVE);
            swap(staging, dest, parent, base);
            done = true;
        } catch (IOException e) {
            throw BuildException.local("write the repo tree in", staging, e);
        } finally {
            if (!done) FileTrees.delete(staging);
        }
    }

    /** Hard-links the cached file when the cache is on the same filesystem, copies otherwise. */
    private static void place(Path source, Path target) throws IOException {
        try {
            Files.createLink(target, source);
        } catch (FileSystemException | UnsupportedOperationException e) {
            Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Replaces {@code dest} with {@code staging}. Where the system can swap two paths in one step
     * (Linux renameat2 with RENAME_EXCHANGE: ext4, xfs, btrfs, tmpfs) {@code dest} is never absent,
     * even for a build killed at that instant; elsewhere the old tree is renamed aside, the new one in.
     */
    static void swap(Path staging, Path dest, Path parent, String base) throws IOException {
        boolean had = Files.exists(dest);
        if (had && exchange(staging, dest)) {
            FileTrees.delete(staging); // it holds the old tree now
            return;
        }
        Path old = parent.resolve("." + base + ".old-" + ProcessHandle.current().pid());
        if (had) Files.move(dest, old, StandardCopyOption.ATOMIC_MOVE);
        try {
            Files.move(staging, dest, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (had) Files.move(old, dest, StandardCopyOption.ATOMIC_MOVE);
            throw e;
        }
        if (had) FileTrees.delete(old);
    }

    private static final int AT_FDCWD = -100, RENAME_EXCHANGE = 2;

    /** Swaps two paths atomically; false where the C library, kernel or file system cannot. */
    static boolean exchange(Path a, Path b) {
        try {
            com.sun.jna.Function renameat2 = com.sun.jna.NativeLibrary.getInstance("c").getFunction("renameat2");
            return renameat2.invokeInt(new Object[] {AT_FDCWD, a.toString(), AT_FDCWD, b.toString(), RENAME_EXCHANGE}) == 0;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return false;
        }
    }

    /**
     * Removes what killed runs left: staging trees, and old trees set aside by a swap. An old tree
     * whose destination is missing is a swap cut short, so it is put back instead.
     */
    private static void sweep(Path parent, String base, Log log) throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(parent, "." + base + ".{staging,old}-*")) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (!FileTrees.leftByDeadProcess(name)) continue; // this build, or another one working here right now
                Path dest = parent.resolve(base);
                if (name.contains(".old-") && !Files.exists(dest)) {
                    Files.move(p, dest, StandardCopyOption.ATOMIC_MOVE);
                    log.warn("restored " + dest + " that an interrupted build had set aside");
                } else {
                    FileTrees.delete(p);
                }
            }
        }
    }
}
