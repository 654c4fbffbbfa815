package io.pigsty.offline.format.deb;

import io.pigsty.offline.model.BuildException;
import io.pigsty.offline.model.Log;
import io.pigsty.offline.format.Decompress;
import io.pigsty.offline.metadata.RepoLoader;
import io.pigsty.offline.model.Checksum;
import io.pigsty.offline.format.Format;
import io.pigsty.offline.model.Glob;
import io.pigsty.offline.metadata.MetaSource;
import io.pigsty.offline.model.MetadataException;
import io.pigsty.offline.model.Package;
import io.pigsty.offline.model.Repo;
import io.pigsty.offline.model.Rules;
import io.pigsty.offline.model.Universe;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Apt repositories: InRelease (or Release + Release.gpg) verified with OpenPGP, then Packages per
 * component and arch (target and all), each checked against the Release's SHA256; out, a flat repo
 * (Packages, Packages.gz, Release) whose stanzas are upstream's with Filename pointing at the flat file.
 */
public final class DebFormat implements Format {
    /** The Packages files a repo's packages came from, for carrying their stanzas. */
    private final Map<Repo, List<Index>> indexes = new LinkedHashMap<>();
    private final Map<Package, byte[]> inspected = new HashMap<>();
    private long newestRelease;

    private record Index(String path, Checksum sum) {}

    private record Loaded(Source source, long date, List<Index> indexes, List<Package> packages) {}

    @Override
    public Rules rules() {
        return DebRules.INSTANCE;
    }

    @Override
    public Universe load(List<Source> sources, String targetArch, MetaSource meta, Log log) throws IOException {
        List<Loaded> loaded = RepoLoader.loadAll(sources, src -> loadRepo(src, targetArch, meta, log), log);
        List<Package> all = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Loaded l : loaded) {
            indexes.put(l.source().repo(), l.indexes());
            newestRelease = Math.max(newestRelease, l.date());
            // binary-all packages may also be listed under binary-<arch>: keep each file once
            for (Package p : l.packages()) if (seen.add(l.source().repo().name() + "/" + p.checksum().hex())) all.add(p);
        }
        return Universe.of(rules(), targetArch, all);
    }

    private static Loaded loadRepo(Source s, String arch, MetaSource meta, Log log) throws IOException {
        Repo repo = s.repo();
        Dist d = s.dist();
        String where = "repo " + repo.name();
        // A flat repo's suite is a directory below the URL: "./" and "/" both mean the URL itself.
        String distDir = d.flat() ? d.suite().replaceFirst("^\\.?/+", "") : "dists/" + d.suite() + "/";
        Release release = release(repo, distDir, d, meta, where, log);
        long now = Instant.now().getEpochSecond();
        if (release.validUntil() > 0 && release.validUntil() < now)
            log.warn(where + ": Release expired on " + Instant.ofEpochSecond(release.validUntil())
                    + " (apt would refuse it); the mirror may be stale");
        List<String> indexNames = new ArrayList<>();
        if (d.flat()) {
            indexNames.add("Packages");
        } else {
            for (String comp : d.components()) {
                indexNames.add(comp + "/binary-" + arch + "/Packages");
                // As apt: binary-all only when the Release names arch "all" and does not fold it into each arch.
                boolean all = release.architectures().isEmpty() || release.architectures().contains("all");
                if (all && !release.noArchAllPackages()) indexNames.add(comp + "/binary-all/Packages");
            }
        }
        List<Index> used = new ArrayList<>();
        List<Package> pkgs = new ArrayList<>();
        for (String name : indexNames) {
            Release.Entry e = release.best(name);
            if (e == null) {
                if (!name.contains("binary-all"))
                    log.warn(where + ": the Release lists no " + name + " (nothing for " + arch + " there)");
                continue;
            }
            Index idx = new Index(distDir + e.path(), Checksum.sha256(e.sha256()));
            used.add(idx);
            pkgs.addAll(packages(repo, idx, release.byHash(), meta, where, log));
        }
        List<Glob> excludes = s.excludes().stream().map(Glob::of).toList();
        int before = pkgs.size();
        if (!excludes.isEmpty()) pkgs.removeIf(p -> excludes.stream().anyMatch(g -> g.matches(p.name())));
        log.info(where + ": " + pkgs.size() + " packages" + (pkgs.size() < before ? ", excludepkgs hides " + (before - pkgs.size()) : ""));
        return new Loaded(s, release.date(), used, pkgs);
    }

    /** InRelease if the repo has one, else Release with Release.gpg; verified unless the repo is trusted. */
    private static Release release(Repo repo, String distDir, Dist d, MetaSource meta, String where, Log log) throws IOException {
        PGPPublicKeyRingCollection keys = null;
        if (!d.trusted()) {
            if (d.keyring() == null)
                throw new BuildException(BuildException.CONFIG, where + ": no keyring to check its Release signature;"
                        + " set keyring: in its repo-spec entry, or trusted: true to skip the check");
            keys = Signatures.keyring(d.keyring());
        }
        Path in = meta.optionalRoot(repo, distDir + "InRelease");
        String text;
        if (in != null) {
            byte[] raw = Files.readAllBytes(in);
            if (keys != null) {
                text = Signatures.verifyClearSigned(raw, keys, where);
            } else {
                text = stripClearSign(new String(raw, StandardCharsets.UTF_8));
                log.warn(where + ": trusted: true, Release signature not checked");
            }
        } else {
            Path rel = meta.root(repo, distDir + "Release");
            byte[] raw = Files.readAllBytes(rel);
            if (keys != null) {
                Path sig = meta.optionalRoot(repo, distDir + "Release.gpg");
                if (sig == null) throw new MetadataException(where + ": no InRelease and no Release.gpg: the Release is unsigned");
                Signatures.verifyDetached(raw, Files.readAllBytes(sig), keys, where);
            } else {
                log.warn(where + ": trusted: true, Release signature not checked");
            }
            text = new String(raw, StandardCharsets.UTF_8);
        }
        return Release.parse(text, where);
    }

    /** The body of a cleartext-signed message, for repos marked trusted. */
    private static String stripClearSign(String s) {
        if (!s.startsWith("-----BEGIN PGP SIGNED MESSAGE-----")) return s;
        int body = s.indexOf("\n\n");
        int end = s.indexOf("\n-----BEGIN PGP SIGNATURE-----");
        StringBuilder b = new StringBuilder();
        for (String l : s.substring(body + 2, end < 0 ? s.length() : end + 1).split("\n", -1))
            b.append(l.startsWith("- ") ? l.substring(2) : l).append('\n');
        return b.toString();
    }

    /** One Packages index, parsed once per checksum. */
    private static List<Package> packages(Repo repo, Index idx, boolean byHash, MetaSource meta, String where, Log log)
            throws IOException {
        return RepoLoader.cached(meta, "deb-packages-" + idx.sum().hex(), repo, () -> {
            try {
                return PackagesFile.read(fetch(repo, idx, byHash, meta), idx.path(), repo, where);
            } catch (IllegalStateException e) {
                throw new MetadataException(e.getMessage(), e);
            }
        }, where, log);
    }

    /**
     * An index file, by its hash when the Release offers Acquire-By-Hash: a mirror being updated
     * serves new files under the old names before its new Release, but never changes a by-hash file.
     * The cache is keyed by checksum, so both paths lead to the same verified copy.
     */
    private static Path fetch(Repo repo, Index idx, boolean byHash, MetaSource meta) throws IOException {
        if (byHash) {
            int slash = idx.path().lastIndexOf('/');
            String hashed = idx.path().substring(0, slash + 1) + "by-hash/SHA256/" + idx.sum().hex();
            try {
                return meta.file(repo, hashed, idx.sum());
            } catch (BuildException e) {
                // not every mirror keeps by-hash files: fall back to the plain name
            }
        }
        return meta.file(repo, idx.path(), idx.sum());
    }

    @Override
    public long metadataTime() {
        return newestRelease;
    }

    @Override
    public Universe addFiles(Universe u, Collection<String> paths, MetaSource meta) {
        return u; // Debian dependencies never name files
    }

    @Override
    public Package inspect(Path file, String fileName, Checksum sha256, Repo origin) throws IOException {
        DebControl c = DebControl.read(file, fileName);
        Package p = c.toPackage(fileName, Files.size(file), sha256, origin);
        inspected.put(p, c.stanza(fileName, Files.size(file), sha256));
        return p;
    }

    @Override
    public void writeIndex(Path dir, List<Shipped> shipped, long timestamp, MetaSource meta) throws IOException {
        Map<Repo, Map<String, Shipped>> fromRepo = Format.byRepo(shipped, inspected::containsKey);
        Map<String, byte[]> stanzas = new HashMap<>();
        Stanzas reader = new Stanzas(true, "SHA256");
        for (Map.Entry<Repo, Map<String, Shipped>> e : fromRepo.entrySet()) {
            Map<String, Shipped> wanted = e.getValue();
            for (Index idx : indexes.get(e.getKey())) {
                try (InputStream in = Decompress.open(meta.file(e.getKey(), idx.path(), idx.sum()), idx.path())) {
                    reader.read(in, s -> {
                        String sha = s.get(0);
                        if (sha != null && wanted.containsKey(sha) && !stanzas.containsKey(e.getKey().name() + "/" + sha))
                            stanzas.put(e.getKey().name() + "/" + sha, withFilename(s.raw, wanted.get(sha).fileName()));
                    });
                }
            }
        }
        ByteArrayOutputStream packages = new ByteArrayOutputStream();
        for (Shipped s : shipped) {
            byte[] st = inspected.get(s.pkg());
            if (st == null) st = stanzas.get(s.pkg().repo().name() + "/" + s.pkg().checksum().hex());
            if (st == null)
                throw new MetadataException("repo " + s.pkg().repo().name() + ": the stanza of " + s.pkg().nevra()
                        + " vanished from its Packages file between reading and writing");
            packages.write(st);
            packages.write('\n');
        }
        byte[] plain = packages.toByteArray();
        byte[] gz = gzip(plain);
        Files.write(dir.resolve("Packages"), plain);
        Files.write(dir.resolve("Packages.gz"), gz);
        Files.writeString(dir.resolve("Release"), release(plain, gz, timestamp));
    }

    /** The stanza with its Filename pointing at the flat file ({@code ./name.deb}, as apt-ftparchive writes). */
    static byte[] withFilename(byte[] raw, String fileName) {
        String s = new String(raw, StandardCharsets.UTF_8);
        StringBuilder b = new StringBuilder(s.length());
        for (String line : s.split("\n")) {
            if (line.regionMatches(true, 0, "Filename:", 0, 9)) b.append("Filename: ./").append(fileName);
            else b.append(line);
            b.append('\n');
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 4 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out) {
            {
                def.setLevel(Deflater.BEST_COMPRESSION);
            }
        }) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    /** A flat repo's Release: date and the hashes of its two index files, nothing that varies by run. */
    private static String release(byte[] plain, byte[] gz, long timestamp) {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT)
                .format(Instant.ofEpochSecond(timestamp).atOffset(ZoneOffset.UTC)).replace("GMT", "UTC");
        StringBuilder b = new StringBuilder();
        b.append("Origin: Pigsty\nLabel: Pigsty offline\nSuite: ./\nDate: ").append(date).append('\n');
        for (String algo : List.of("MD5Sum", "SHA256")) {
            b.append(algo).append(":\n");
            String jdk = algo.equals("MD5Sum") ? "MD5" : "SHA-256";
            b.append(' ').append(hex(jdk, plain)).append(' ').append(plain.length).append(" Packages\n");
            b.append(' ').append(hex(jdk, gz)).append(' ').append(gz.length).append(" Packages.gz\n");
        }
        return b.toString();
    }

    private static String hex(String algo, byte[] data) {
        return java.util.HexFormat.of().formatHex(Checksum.digest(algo).digest(data));
    }
}
