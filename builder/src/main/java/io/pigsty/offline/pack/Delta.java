package io.pigsty.offline.pack;

import com.github.luben.zstd.ZstdInputStream;
import io.pigsty.bundle.BundleLayout;
import io.pigsty.bundle.BundleLayout.Keys;
import io.pigsty.offline.config.ConfigException;
import io.pigsty.offline.model.Checksum;
import io.pigsty.offline.model.FileTrees;
import io.pigsty.offline.repo.Json;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * A delta bundle: only the package files the base bundle does not hold (by name and sha256), the
 * whole new index, manifest, SBOM and {@code repo_complete}, and {@code delta.json} naming the base
 * (its manifest's sha256) and the files that go. Applied onto the base it gives exactly the full
 * bundle's tree.
 */
public final class Delta {
    private Delta() {}

    /** An earlier bundle as a delta's base: its manifest and what it says. */
    public record Base(byte[] manifest, String name, String version, String os, String arch, Map<String, String> packages) {
        /** A delta applies only onto a bundle of the same target. */
        public void requireTarget(String os, String arch) {
            if (!os.equals(this.os) || !arch.equals(this.arch))
                throw new ConfigException("--since", name + " is a bundle for " + this.os + "." + this.arch + ", this build is for " + os + "."
                        + arch + ": a delta applies only onto the same target");
        }
    }

    /** The base from an old bundle's tarball (.tgz, .tar, .tar.zst) or its manifest.json. */
    public static Base base(Path old) {
        byte[] manifest;
        try {
            manifest = old.getFileName().toString().endsWith(".json") ? Files.readAllBytes(old) : manifestIn(old);
        } catch (IOException e) {
            throw new ConfigException("--since", "cannot read " + old + " (" + e.getMessage() + ")");
        }
        if (manifest == null) throw new ConfigException("--since", old + " holds no " + BundleLayout.TOP + "/" + BundleLayout.MANIFEST
                + ": give the old bundle's tarball (join split parts with cat first) or its manifest.json");
        Object doc;
        try {
            doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(new String(manifest, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new ConfigException("--since", old + ": unreadable manifest (" + e.getMessage() + ")");
        }
        if (!(doc instanceof Map<?, ?> m) || !(m.get(Keys.PACKAGES) instanceof List<?> pkgs))
            throw new ConfigException("--since", old + ": not a bundle's manifest");
        Map<String, String> files = new LinkedHashMap<>();
        for (Object o : pkgs)
            if (o instanceof Map<?, ?> p && p.get(Keys.FILE) instanceof String f && p.get(Keys.SHA256) instanceof String sha) files.put(f, sha);
        String version = String.valueOf(m.get(Keys.VERSION));
        if (!io.pigsty.offline.model.SafePaths.safeFileName(version))
            throw new ConfigException("--since", old + ": its version '" + version + "' is not a plain name");
        Map<?, ?> target = m.get(Keys.TARGET) instanceof Map<?, ?> t ? t : Map.of();
        return new Base(manifest, String.valueOf(m.get(Keys.NAME)), version, String.valueOf(target.get("os")),
                String.valueOf(target.get("arch")), files);
    }

    private static byte[] manifestIn(Path tarball) throws IOException {
        String n = tarball.getFileName().toString();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(tarball), 1 << 16);
             InputStream in = n.endsWith(".zst") ? new ZstdInputStream(raw) : n.endsWith(".tgz") || n.endsWith(".gz") ? new GZIPInputStream(raw) : raw;
             TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; )
                if (e.getName().equals(BundleLayout.TOP + "/" + BundleLayout.MANIFEST)) {
                    if (e.getSize() > 64 << 20) throw new IOException("its manifest is larger than 64 MiB");
                    return tar.readNBytes((int) e.getSize());
                }
        }
        return null;
    }

    /**
     * Lays the delta of {@code tree} against {@code base} out in {@code staging} (below {@code top/}),
     * hard-linked where it can; returns the number of package files it holds.
     */
    public static int lay(Path tree, Base base, Path staging) throws IOException {
        Path top = staging.resolve(BundleLayout.TOP);
        Files.createDirectories(top);
        List<String> all = new ArrayList<>();
        try (Stream<Path> s = Files.walk(tree)) {
            for (Path p : (Iterable<Path>) s::iterator) if (Files.isRegularFile(p)) all.add(tree.relativize(p).toString().replace('\\', '/'));
        }
        // the tree's own list says each file's sha256: no package is hashed again
        Map<String, String> sums = new LinkedHashMap<>();
        for (String line : Files.readAllLines(tree.resolve(BundleLayout.COMPLETE), StandardCharsets.UTF_8))
            if (line.length() > 66) sums.put(line.substring(66), line.substring(0, 64));
        int packages = 0;
        TreeSet<String> now = new TreeSet<>(all);
        for (String rel : all) {
            Path src = tree.resolve(rel);
            if (BundleLayout.isPackage(rel)) {
                String had = base.packages().get(rel);
                if (had != null && had.equals(sums.get(rel))) continue;
                packages++;
            }
            Path to = top.resolve(rel);
            Files.createDirectories(to.getParent());
            try {
                Files.createLink(to, src);
            } catch (IOException | UnsupportedOperationException e) {
                Files.copy(src, to);
            }
        }
        List<String> remove = new ArrayList<>();
        for (String f : base.packages().keySet()) if (!now.contains(f)) remove.add(f);
        Map<String, Object> b = new LinkedHashMap<>();
        b.put(Keys.NAME, base.name());
        b.put(Keys.VERSION, base.version());
        b.put(Keys.MANIFEST_SHA256, HexFormat.of().formatHex(Checksum.digest("SHA-256").digest(base.manifest())));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("format", 1);
        doc.put(Keys.BASE, b);
        doc.put(Keys.REMOVE, remove);
        Files.writeString(top.resolve(BundleLayout.DELTA), Json.write(doc));
        return packages;
    }

    /** Removes a staging tree {@link #lay} made. */
    public static void clear(Path staging) throws IOException {
        FileTrees.delete(staging);
    }
}
