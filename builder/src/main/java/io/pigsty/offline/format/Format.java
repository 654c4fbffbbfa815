package io.pigsty.offline.format;

import io.pigsty.offline.model.Checksum;
import io.pigsty.offline.model.Log;
import io.pigsty.offline.model.Package;
import io.pigsty.offline.model.Repo;
import io.pigsty.offline.model.Rules;
import io.pigsty.offline.model.PackageId;
import io.pigsty.offline.model.Universe;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One packaging family's knowledge, both ways, and nothing else: its rules, reading upstream index
 * files into the neutral model, writing the bundle's own index, and building a package. A format
 * holds no state and does no network I/O: it reads the files {@link RepoFiles} hands it and the
 * verified local files an {@link IndexSet} names.
 */
public interface Format {
    /**
     * An upstream repo with the policies that hide packages before resolution; a repo that may be
     * skipped when unavailable (dnf's skip_if_unavailable) only warns when it cannot be read.
     * {@code dist} is set for apt repos only.
     */
    record Source(Repo repo, List<String> excludes, boolean moduleHotfixes, boolean skipIfUnavailable, Dist dist) {
        public Source {
            excludes = List.copyOf(excludes);
        }
    }

    /**
     * Where an apt repo's indexes are: {@code suite} with {@code components} below {@code dists/},
     * or a flat repo ({@code suite} "./", no components). Its Release signature must verify with a
     * key of one of {@code keyrings} (as apt trusts every key it has) unless {@code trusted}; a
     * Release past its Valid-Until is refused unless {@code allowExpired}.
     */
    record Dist(String suite, List<String> components, List<Path> keyrings, boolean trusted, boolean allowExpired) {
        public Dist {
            components = List.copyOf(components);
            keyrings = List.copyOf(keyrings);
        }

        public Dist(String suite, List<String> components, List<Path> keyrings, boolean trusted) {
            this(suite, components, keyrings, trusted, false);
        }

        public Dist allowingExpired() {
            return new Dist(suite, components, keyrings, trusted, true);
        }

        public boolean flat() {
            return suite.endsWith("/");
        }
    }

    /**
     * One repo as read: its packages, the index files it has (fetched or not), the records left out
     * because they could not be read, and what else its format read of it ({@code extra}, or null).
     */
    record RepoIndex(Source source, List<Package> packages, List<IndexFile> files, List<String> dropped, Extra extra) {
        public RepoIndex {
            packages = List.copyOf(packages);
            files = List.copyOf(files);
            dropped = List.copyOf(dropped);
        }
    }

    /** What a format reads of a repo besides its packages and keeps for {@link #universe} (RPM: module streams); null for none. */
    interface Extra {}

    /** A package file read from disk (URL packages, the launcher) and its own index record. */
    record Inspected(Package pkg, IndexRecord record) {}

    /** A package file placed in the bundle, its verified sha256, and its own record when it has one. */
    record Shipped(Package pkg, String fileName, String sha256, long size, IndexRecord own) {}

    /** A format's index record of a package it read from disk (an RPM header, a control stanza). */
    interface IndexRecord {}

    /**
     * The shipped packages that came from upstream repos, by repo and upstream checksum: what a
     * writer looks up while it streams each repo's index once to carry the records over.
     */
    static Map<Repo, Map<String, Shipped>> byRepo(List<Shipped> shipped) {
        Map<Repo, Map<String, Shipped>> out = new LinkedHashMap<>();
        for (Shipped s : shipped)
            if (s.own() == null) out.computeIfAbsent(s.pkg().repo(), k -> new HashMap<>()).put(s.pkg().checksum().hex(), s);
        return out;
    }

    Rules rules();

    /** The arch as this family's own metadata spells it, from Pigsty's spelling (x86_64, aarch64). */
    String nativeArch(String pigstyArch);

    /** Reads one repo's index through {@code files}; the packages are for {@code targetArch}. */
    RepoIndex read(Source source, String targetArch, RepoFiles files, Log log) throws IOException;

    /** Joins the repos into the universe, applying the policies that span repos (RPM module streams). */
    Universe universe(List<RepoIndex> repos, String targetArch, Log log) throws IOException;

    /** The index file types {@link #fileOwners} needs local (none when the family has no file lists). */
    Set<String> fileListTypes();

    /**
     * Which packages own the given file paths, by the file lists in {@code index} (all of
     * {@link #fileListTypes} local): only the paths asked for, since full file lists are large.
     */
    Map<PackageId, List<String>> fileOwners(Collection<String> paths, IndexSet index) throws IOException;

    /** The index file types {@link #writeIndex} carries records from; they must be local. */
    Set<String> carriedTypes();

    /**
     * What a host has installed, from this family's own list of it (a baseline): RPM, lines of
     * {@code rpm -qa --qf '%{NAME} %{EPOCHNUM} %{VERSION} %{RELEASE} %{ARCH}\n'}; Debian, a dpkg
     * {@code status} file. {@code where} names the file in errors.
     */
    List<Package> installed(String text, String where) throws IOException;

    /** Reads a package file obtained elsewhere (an URL package, the launcher) into the model. */
    Inspected inspect(Path file, String fileName, Checksum sha256, Repo origin) throws IOException;

    /**
     * Writes the repo index for {@code shipped}, all placed flat in {@code dir}, signed with {@code key}
     * unless it is null (EL: repomd.xml.asc; Debian: InRelease and Release.gpg), and returns what each
     * package's record says of its license and supplier (by file name), read while the records are at hand.
     */
    Map<String, About> writeIndex(Path dir, List<Shipped> shipped, IndexSet index, long timestamp, BundleKey key) throws IOException;

    /** A package's license and supplier as its own metadata states them (null where it says nothing), for the SBOM. */
    record About(String license, String supplier) {}

    /** Builds a package of this family into {@code dir}, byte-identical for the same inputs; returns the file. */
    Path buildPackage(PackageContents contents, Path dir, long mtime) throws IOException;

    /**
     * Signs a package built here in itself, in place, where the family's installers check package
     * signatures (RPM, with gpgcheck=1; see {@link #checkSignature}); the same key and time give the
     * same bytes. Families whose packages carry no signature of their own leave the file as it is.
     */
    void signPackage(Path file, BundleKey key, long mtime) throws IOException;

    /**
     * What a package file's own signature says, checked against {@code keys}: VERIFIED by the key
     * {@code keyId}; UNSIGNED; UNKNOWN_KEY ({@code detail} is the signer's key ID); REFUSED
     * ({@code detail} says why: a weak hash, an expired key).
     */
    record PackageSignature(Status status, long keyId, String detail) {
        public enum Status { VERIFIED, UNSIGNED, UNKNOWN_KEY, REFUSED }
    }

    /**
     * Checks the signature a package file carries in itself against {@code keys}; a signature by one
     * of them that does not verify is a {@link io.pigsty.offline.model.MetadataException}. Null when
     * this family's packages carry none (a .deb: its repo's Release is signed instead).
     */
    PackageSignature checkSignature(Path file, String fileName, Keyring keys) throws IOException;
}
