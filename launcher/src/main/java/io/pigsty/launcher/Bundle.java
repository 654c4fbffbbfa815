package io.pigsty.launcher;

import io.pigsty.bundle.BundleLayout.Keys;
import io.pigsty.bundle.BundleLayout;
import io.pigsty.bundle.Family;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * An offline bundle, as a tarball or an already extracted {@code pigsty/} directory, and its
 * verification before anything is used: the tarball's .sha256 when present, then every
 * {@code repo_complete} line, every file of the bundle being listed there (packages, the index,
 * the manifest, the inventory: an unlisted file is refused), only files and directories in it, and
 * the manifest with the extra files it names.
 */
final class Bundle {
    /** What the manifest says the launcher needs; {@code delta} is set for a delta bundle (null for a full one). */
    record Manifest(String name, Family family, List<String> bootstrap, Map<String, String> extras, Map<String, Object> raw, Delta delta) {}

    /** A delta bundle's base: the bundle it applies onto, known by its manifest.json's sha256. */
    record Delta(String baseName, String baseManifestSha256) {}

    private Bundle() {}

    /** Why a bundle was refused: names the file and what did not match. */
    static final class Invalid extends IOException {
        Invalid(String message) {
            super(message);
        }
    }

    /**
     * Verifies a tarball in one streaming pass and returns its manifest; with {@code trusted} (a public
     * key file, or null) its {@code repo_complete} must carry a good signature by that key.
     */
    static Manifest verifyArchive(Archive archive, Path trusted) throws IOException {
        Path tarball = archive.where();
        Path sum = tarball.resolveSibling(tarball.getFileName() + ".sha256");
        if (archive.parts().size() == 1 && archive.parts().get(0).sha256() == null && Files.exists(sum)) {
            String want = Files.readString(sum).trim().split("\\s+")[0].toLowerCase();
            String got = sha256(tarball);
            if (!got.equals(want)) throw new Invalid(tarball + " does not match " + sum + " (sha256 " + got + ")");
        }
        Map<String, String> hashes = new HashMap<>();
        byte[] complete = null, manifest = null, signature = null, delta = null, rpmKeys = null;
        // Packages are compressed already: a bundle never holds many times its own size. Refused at the
        // header that passes the bound, before its content is read (a plain tar ends where its file does).
        long budget = Tar.compressed(archive.name()) ? Math.max(EXPANSION * archive.size(), EXPANSION_FLOOR) : Long.MAX_VALUE;
        long total = 0;
        Archive.Bytes bytes = archive.open();
        try (Tar tar = Tar.open(archive.name(), bytes)) {
            for (Tar.Entry e; (e = tar.next()) != null; ) {
                String rel = Extractor.check(e, BundleLayout.TOP);
                if (e.type() != Tar.Type.FILE) continue;
                if ((total += e.size()) > budget)
                    throw new Invalid(tarball + ": " + rel + " takes its content past " + budget + " bytes (" + EXPANSION
                            + " times the archive, at least " + (EXPANSION_FLOOR >> 20) + " MiB): a decompression bomb, not a bundle");
                if (rel.equals(BundleLayout.COMPLETE)) {
                    complete = bounded(tar.content(), rel, tarball);
                } else if (rel.equals(BundleLayout.COMPLETE_SIGNATURE)) {
                    signature = bounded(tar.content(), rel, tarball);
                } else if (rel.equals(BundleLayout.DELTA)) {
                    delta = bounded(tar.content(), rel, tarball);
                } else if (rel.equals(BundleLayout.MANIFEST)) {
                    manifest = bounded(tar.content(), rel, tarball);
                    hashes.put(rel, sha256(new java.io.ByteArrayInputStream(manifest)));
                } else if (rel.equals(BundleLayout.RPM_KEYS)) {
                    rpmKeys = bounded(tar.content(), rel, tarball);
                    hashes.put(rel, sha256(new java.io.ByteArrayInputStream(rpmKeys)));
                } else {
                    hashes.put(rel, sha256(tar.content()));
                }
            }
            // to the end of the last part: a part is checked against its list when it ends, and the
            // decoder stops at the archive's end, which may come before
            bytes.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (Invalid e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // A damaged part is named, not what its bytes did to the decoder; otherwise a malformed header (a pax
            // size that is not a number, a bad checksum, a cut stream) is a bad archive, refused, not a crash.
            String part = bytes.damaged();
            if (part != null) throw new Invalid(part);
            throw new Invalid(tarball + ": malformed archive (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
        return check(hashes, complete, signature, manifest, delta, rpmKeys, trusted, tarball.toString());
    }

    /** Verifies an extracted tree in place and returns its manifest; {@code trusted} as for {@link #verifyArchive}. */
    static Manifest verifyTree(Path dir, Path trusted) throws IOException {
        Map<String, String> hashes = new HashMap<>();
        if (!Files.isRegularFile(dir.resolve(BundleLayout.COMPLETE)))
            throw new Invalid(dir + " has no " + BundleLayout.COMPLETE + ": not a finished bundle");
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (Files.isSymbolicLink(p)) throw new Invalid(p + " is a symbolic link: a bundle holds none");
                if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) continue;
                // a FIFO would block the extract forever, a device would read anything: only files
                if (!Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                    throw new Invalid(p + " is not a regular file (a FIFO, socket or device): a bundle holds none");
                String rel = dir.relativize(p).toString();
                if (rel.equals(BundleLayout.COMPLETE) || rel.equals(BundleLayout.COMPLETE_SIGNATURE)) continue;
                hashes.put(rel, sha256(p));
            }
        }
        Path manifest = dir.resolve(BundleLayout.MANIFEST), signature = dir.resolve(BundleLayout.COMPLETE_SIGNATURE),
                rpmKeys = dir.resolve(BundleLayout.RPM_KEYS);
        return check(hashes, Files.readAllBytes(dir.resolve(BundleLayout.COMPLETE)),
                Files.isRegularFile(signature, java.nio.file.LinkOption.NOFOLLOW_LINKS) ? Files.readAllBytes(signature) : null,
                Files.exists(manifest) ? Files.readAllBytes(manifest) : null, null,
                Files.exists(rpmKeys) ? Files.readAllBytes(rpmKeys) : null, trusted, dir.toString());
    }

    /**
     * {@code delta} (the bytes of delta.json, or null): the archive is a delta, so files repo_complete
     * lists may be missing from it; they come from its base when it is applied.
     */
    private static Manifest check(Map<String, String> hashes, byte[] complete, byte[] signature, byte[] manifest, byte[] delta,
                                  byte[] rpmKeys, Path trusted, String where) throws IOException {
        if (complete == null) throw new Invalid(where + " has no " + BundleLayout.TOP + "/" + BundleLayout.COMPLETE + ": not a finished bundle");
        if (trusted != null) Signed.check(complete, signature, trusted, where); // before any hash it lists is believed
        if (manifest == null) throw new Invalid(where + " has no " + BundleLayout.TOP + "/" + BundleLayout.MANIFEST);
        TreeSet<String> listed = new TreeSet<>();
        for (String line : new String(complete, StandardCharsets.UTF_8).split("\n")) {
            if (line.isBlank()) continue;
            String[] t = line.split(" {2}", 2);
            if (t.length != 2 || !t[0].matches("[0-9a-f]{64}"))
                throw new Invalid(where + ": malformed " + BundleLayout.COMPLETE + " line '" + line + "'");
            String got = hashes.get(t[1]);
            if (got == null && delta != null) {
                listed.add(t[1]);
                continue;
            }
            if (got == null) throw new Invalid(where + ": " + t[1] + " is listed in repo_complete but missing");
            if (!got.equals(t[0])) throw new Invalid(where + ": " + t[1] + " does not match its repo_complete sha256 (tampered or damaged)");
            listed.add(t[1]);
        }
        for (String f : new TreeSet<>(hashes.keySet()))
            if (!listed.contains(f))
                throw new Invalid(where + ": " + f + " is not listed in " + BundleLayout.COMPLETE + "; a bundle holds only what it lists");
        if (rpmKeys != null) // the host's dnf is pointed at these: key files of the bundle, nothing else
            for (String line : new String(rpmKeys, StandardCharsets.UTF_8).split("\n"))
                if (!line.isBlank() && (!line.matches(BundleLayout.KEYS_DIR + "/[A-Za-z0-9._-]+\\.asc") || !listed.contains(line)))
                    throw new Invalid(where + ": " + BundleLayout.RPM_KEYS + " names '" + line + "', which is no key file of the bundle");
        Manifest m = parse(manifest, where);
        if (delta != null) m = new Manifest(m.name(), m.family(), m.bootstrap(), m.extras(), m.raw(), delta(delta, where));
        for (Map.Entry<String, String> x : m.extras().entrySet()) {
            String got = hashes.get(x.getKey());
            if (got == null && delta != null) continue; // unchanged since the base: checked once applied
            if (got == null) throw new Invalid(where + ": " + x.getKey() + " is named in the manifest but missing");
            if (!got.equals(x.getValue())) throw new Invalid(where + ": " + x.getKey() + " does not match the manifest's sha256");
        }
        return m;
    }

    /** How far a compressed bundle's content may exceed the archive (and at least this much, for small bundles). */
    private static final long EXPANSION = 64, EXPANSION_FLOOR = 1L << 30;

    /** The lists a bundle reads into memory are small; a huge one is an attack, not a bundle. */
    private static final int LIST_MAX = 64 << 20;

    private static byte[] bounded(InputStream in, String rel, Path where) throws IOException {
        byte[] b = in.readNBytes(LIST_MAX + 1);
        if (b.length > LIST_MAX) throw new Invalid(where + ": " + rel + " is larger than " + LIST_MAX + " bytes");
        return b;
    }

    @SuppressWarnings("unchecked")
    static Manifest parse(byte[] json, String where) throws Invalid {
        Object o;
        try {
            o = new Yaml(new SafeConstructor(new LoaderOptions())).load(new String(json, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new Invalid(where + ": unreadable " + BundleLayout.MANIFEST + " (" + e.getMessage() + ")");
        }
        if (!(o instanceof Map<?, ?> m) || !(m.get(Keys.TARGET) instanceof Map<?, ?> target))
            throw new Invalid(where + ": " + BundleLayout.MANIFEST + " has no " + Keys.TARGET);
        Family family = Family.byId(String.valueOf(target.get(Keys.FAMILY)));
        if (family == null) throw new Invalid(where + ": " + BundleLayout.MANIFEST + " names no known package family");
        Map<String, String> extras = new LinkedHashMap<>();
        if (m.get(Keys.FILES) instanceof List<?> files)
            for (Object f : files)
                if (f instanceof Map<?, ?> fm) extras.put(String.valueOf(fm.get(Keys.PATH)), String.valueOf(fm.get(Keys.SHA256)));
        List<String> bootstrap = m.get(Keys.BOOTSTRAP) instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
        return new Manifest(String.valueOf(m.get(Keys.NAME)), family, bootstrap, extras, (Map<String, Object>) m, null);
    }

    private static Delta delta(byte[] json, String where) throws Invalid {
        Object o;
        try {
            o = new Yaml(new SafeConstructor(new LoaderOptions())).load(new String(json, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new Invalid(where + ": unreadable " + BundleLayout.DELTA + " (" + e.getMessage() + ")");
        }
        if (!(o instanceof Map<?, ?> m) || !(m.get(Keys.BASE) instanceof Map<?, ?> base) || !(base.get(Keys.MANIFEST_SHA256) instanceof String sha)
                || !sha.matches("[0-9a-f]{64}"))
            throw new Invalid(where + ": " + BundleLayout.DELTA + " names no base");
        return new Delta(String.valueOf(base.get(Keys.NAME)), sha);
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return sha256(in);
        }
    }

    static String sha256(InputStream in) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[1 << 16];
        int n;
        while ((n = in.read(buf)) > 0) md.update(buf, 0, n);
        return HexFormat.of().formatHex(md.digest());
    }
}
