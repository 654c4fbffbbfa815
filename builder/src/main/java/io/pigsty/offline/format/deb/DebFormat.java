package io.pigsty.offline.format.deb;

import io.pigsty.offline.format.Decompress;
import io.pigsty.offline.format.BundleKey;
import io.pigsty.offline.format.Format;
import io.pigsty.offline.format.IndexFile;
import io.pigsty.offline.format.IndexSet;
import io.pigsty.offline.format.Keyring;
import io.pigsty.offline.format.PackageContents;
import io.pigsty.offline.format.RepoFiles;
import io.pigsty.offline.model.BuildException;
import io.pigsty.offline.model.Checksum;
import io.pigsty.offline.model.ExitCode;
import io.pigsty.offline.model.Glob;
import io.pigsty.offline.model.Log;
import io.pigsty.offline.model.MetadataException;
import io.pigsty.offline.model.Package;
import io.pigsty.offline.model.PackageId;
import io.pigsty.offline.model.Repo;
import io.pigsty.offline.model.Rules;
import io.pigsty.offline.model.Universe;

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
    public static final DebFormat INSTANCE = new DebFormat();

    static final String PACKAGES = "Packages", RELEASE = "Release";

    private DebFormat() {}

    /** The control stanza of a .deb read from disk, as its Packages record. */
    private record Stanza(byte[] bytes) implements IndexRecord {}

    @Override
    public Rules rules() {
        return DebRules.INSTANCE;
    }

    @Override
    public String nativeArch(String pigstyArch) {
        return switch (pigstyArch) {
            case "x86_64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> pigstyArch;
        };
    }

    /** Pigsty's spelling of a Debian arch (amd64 is x86_64, arm64 is aarch64); others as they are. */
    public static String pigstyArch(String debianArch) {
        return switch (debianArch) {
            case "amd64" -> "x86_64";
            case "arm64" -> "aarch64";
            default -> debianArch;
        };
    }

    @Override
    public RepoIndex read(Source s, String arch, RepoFiles files, Log log) throws IOException {
        Repo repo = s.repo();
        Dist d = s.dist();
        String where = "repo " + repo.name();
        // A flat repo's suite is a directory below the URL: "./" and "/" both mean the URL itself.
        String distDir = d.flat() ? d.suite().replaceFirst("^\\.?/+", "") : "dists/" + d.suite() + "/";
        Release release = release(distDir, d, files, where, log);
        long now = Instant.now().getEpochSecond();
        if (release.validUntil() > 0 && release.validUntil() < now) {
            String said = where + ": the Release expired on " + Instant.ofEpochSecond(release.validUntil()) + " (Valid-Until)";
            if (!d.allowExpired())
                throw new MetadataException(said + "; apt refuses it, and so does this build: the mirror is stale or replays old"
                        + " metadata. Use a fresh mirror, or pass --allow-expired-release to accept it");
            log.warn(said + "; accepted because of --allow-expired-release");
        }
        List<String> indexNames = new ArrayList<>();
        if (d.flat()) {
            indexNames.add(PACKAGES);
        } else {
            for (String comp : d.components()) {
                indexNames.add(comp + "/binary-" + arch + "/" + PACKAGES);
                // As apt: binary-all only when the Release names arch "all" and does not fold it into each arch.
                boolean all = release.architectures().isEmpty() || release.architectures().contains("all");
                if (all && !release.noArchAllPackages()) indexNames.add(comp + "/binary-all/" + PACKAGES);
            }
        }
        List<IndexFile> used = new ArrayList<>();
        used.add(new IndexFile(repo, RELEASE, distDir + RELEASE, null, -1, release.date(), null));
        List<Package> pkgs = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        for (String name : indexNames) {
            Release.Entry e = release.best(name);
            if (e == null) {
                if (!name.contains("binary-all"))
                    log.warn(where + ": the Release lists no " + name + " (nothing for " + arch + " there)");
                continue;
            }
            String path = distDir + e.path();
            Checksum sum = Checksum.sha256(e.sha256());
            Path local = fetch(path, sum, e.size(), release.byHash(), files);
            used.add(new IndexFile(repo, PACKAGES, path, sum, e.size(), release.date(), local));
            RepoFiles.Parsed parsed = files.parsed("deb-packages-" + sum.hex(), sink -> {
                RepoFiles.Parsed read;
                try {
                    read = PackagesFile.read(local, path, repo, where);
                } catch (IllegalStateException ex) {
                    throw new MetadataException(ex.getMessage(), ex);
                }
                for (Package p : read.packages()) sink.add(p);
                read.dropped().forEach(sink::drop);
            });
            pkgs.addAll(parsed.packages());
            dropped.addAll(parsed.dropped());
        }
        List<Glob> excludes = s.excludes().stream().map(Glob::of).toList();
        int before = pkgs.size();
        if (!excludes.isEmpty()) pkgs.removeIf(p -> excludes.stream().anyMatch(g -> g.matches(p.name())));
        log.info(where + ": " + pkgs.size() + " packages" + (pkgs.size() < before ? ", excludepkgs hides " + (before - pkgs.size()) : ""));
        return new RepoIndex(s, pkgs, used, dropped, null);
    }

    @Override
    public Universe universe(List<RepoIndex> repos, String targetArch, Log log) {
        List<Package> all = new ArrayList<>();
        Set<PackageId> seen = new HashSet<>();
        // binary-all packages may also be listed under binary-<arch>: keep each file once
        for (RepoIndex r : repos) for (Package p : r.packages()) if (seen.add(PackageId.of(p))) all.add(p);
        return Universe.of(rules(), targetArch, all);
    }

    /** InRelease if the repo has one, else Release with Release.gpg; verified unless the repo is trusted. */
    private static Release release(String distDir, Dist d, RepoFiles files, String where, Log log) throws IOException {
        Keyring keys = null;
        if (!d.trusted()) {
            if (d.keyrings().isEmpty())
                throw new BuildException(ExitCode.CONFIG, where + ": no keyring to check its Release signature;"
                        + " set keyring: in its repo-spec entry, or trusted: true to skip the check");
            keys = Keyring.read(d.keyrings(), log);
        }
        Path in = files.optionalRoot(distDir + "InRelease");
        String text;
        if (in != null) {
            byte[] raw = Files.readAllBytes(in);
            if (keys == null) log.warn(where + ": trusted: true, Release signature not checked");
            text = Signatures.clearSigned(raw, keys, where);
        } else {
            byte[] raw = Files.readAllBytes(files.root(distDir + RELEASE));
            if (keys != null) {
                Path sig = files.optionalRoot(distDir + "Release.gpg");
                if (sig == null) throw new MetadataException(where + ": no InRelease and no Release.gpg: the Release is unsigned");
                Signatures.verifyDetached(raw, Files.readAllBytes(sig), keys, where);
            } else {
                log.warn(where + ": trusted: true, Release signature not checked");
            }
            text = new String(raw, StandardCharsets.UTF_8);
        }
        return Release.parse(text, where);
    }

    /**
     * An index file, by its hash when the Release offers Acquire-By-Hash: a mirror being updated
     * serves new files under the old names before its new Release, but never changes a by-hash file.
     * The cache is keyed by checksum, so both paths lead to the same verified copy.
     */
    private static Path fetch(String path, Checksum sum, long size, boolean byHash, RepoFiles files) throws IOException {
        if (byHash) {
            int slash = path.lastIndexOf('/');
            String hashed = path.substring(0, slash + 1) + "by-hash/SHA256/" + sum.hex();
            try {
                return files.file(hashed, sum, size);
            } catch (BuildException e) {
                // not every mirror keeps by-hash files: fall back to the plain name
            }
        }
        return files.file(path, sum, size);
    }

    @Override
    public Set<String> fileListTypes() {
        return Set.of(); // Debian dependencies never name files
    }

    @Override
    public Map<PackageId, List<String>> fileOwners(Collection<String> paths, IndexSet index) {
        return Map.of();
    }

    @Override
    public Set<String> carriedTypes() {
        return Set.of(PACKAGES);
    }

    @Override
    public List<Package> installed(String text, String where) throws IOException {
        return PackagesFile.installed(text, where);
    }

    @Override
    public Inspected inspect(Path file, String fileName, Checksum sha256, Repo origin) throws IOException {
        DebControl c = DebControl.read(file, fileName);
        long size = Files.size(file);
        return new Inspected(c.toPackage(fileName, size, sha256, origin), new Stanza(c.stanza(fileName, size, sha256)));
    }

    @Override
    public Map<String, About> writeIndex(Path dir, List<Shipped> shipped, IndexSet index, long timestamp, BundleKey key)
            throws IOException {
        Map<PackageId, byte[]> stanzas = new HashMap<>();
        Stanzas reader = new Stanzas(true, "SHA256");
        for (Map.Entry<Repo, Map<String, Shipped>> e : Format.byRepo(shipped).entrySet()) {
            Repo repo = e.getKey();
            Map<String, Shipped> wanted = e.getValue();
            for (IndexFile idx : index.of(repo, PACKAGES)) {
                try (InputStream in = Decompress.open(IndexSet.local(idx), idx.path())) {
                    reader.read(in, s -> {
                        String sha = s.get(0);
                        if (sha != null && wanted.containsKey(sha))
                            stanzas.putIfAbsent(new PackageId(repo.name(), sha), withFilename(s.raw, wanted.get(sha).fileName()));
                    });
                }
            }
        }
        ByteArrayOutputStream packages = new ByteArrayOutputStream();
        Map<String, About> about = new HashMap<>();
        for (Shipped s : shipped) {
            byte[] st = s.own() instanceof Stanza own ? own.bytes() : stanzas.get(PackageId.of(s.pkg()));
            if (st == null)
                throw new MetadataException("repo " + s.pkg().repo().name() + ": the stanza of " + s.pkg().nevra()
                        + " vanished from its Packages file between reading and writing");
            packages.write(st);
            packages.write('\n');
            about.put(s.fileName(), new About(null, field(st, "Maintainer"))); // Packages names no license
        }
        byte[] plain = packages.toByteArray();
        byte[] gz = gzip(plain);
        Files.write(dir.resolve(PACKAGES), plain);
        Files.write(dir.resolve(PACKAGES + ".gz"), gz);
        String release = release(plain, gz, timestamp);
        Files.writeString(dir.resolve(RELEASE), release);
        if (key != null) { // what apt checks with signed-by: InRelease first, Release.gpg for older readers
            Files.write(dir.resolve("InRelease"), key.clearsign(release, timestamp));
            Files.write(dir.resolve(RELEASE + ".gpg"), key.detached(new java.io.ByteArrayInputStream(release.getBytes(StandardCharsets.UTF_8)), timestamp));
        }
        return about;
    }

    /** A single-line field of a stanza, null when absent. */
    private static String field(byte[] stanza, String name) {
        for (String line : new String(stanza, StandardCharsets.UTF_8).split("\n"))
            if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
                String v = line.substring(name.length() + 1).trim();
                return v.isEmpty() ? null : v;
            }
        return null;
    }

    @Override
    public Path buildPackage(PackageContents contents, Path dir, long mtime) throws IOException {
        return DebBuilder.build(contents, dir, mtime);
    }

    @Override
    public void signPackage(Path file, BundleKey key, long mtime) {
        // apt checks the signed InRelease, not the .deb
    }

    @Override
    public PackageSignature checkSignature(Path file, String fileName, Keyring keys) {
        return null;
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
            b.append(' ').append(Checksum.hex(jdk, plain)).append(' ').append(plain.length).append(" Packages\n");
            b.append(' ').append(Checksum.hex(jdk, gz)).append(' ').append(gz.length).append(" Packages.gz\n");
        }
        return b.toString();
    }
}
