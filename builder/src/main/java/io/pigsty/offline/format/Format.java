package io.pigsty.offline.format;

import io.pigsty.offline.metadata.MetaSource;
import io.pigsty.offline.model.Checksum;
import io.pigsty.offline.model.Package;
import io.pigsty.offline.model.Repo;
import io.pigsty.offline.model.Rules;
import io.pigsty.offline.model.Universe;

import io.pigsty.offline.model.Log;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One packaging family's metadata, both ways: reading upstream repos into the neutral model and
 * writing the bundle's own index. An instance serves one build and may remember which upstream
 * metadata files it read, so the writer can carry their records over.
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

        public Source(Repo repo, List<String> excludes, boolean moduleHotfixes, boolean skipIfUnavailable) {
            this(repo, excludes, moduleHotfixes, skipIfUnavailable, null);
        }
    }

    /**
     * Where an apt repo's indexes are: {@code suite} with {@code components} below {@code dists/},
     * or a flat repo ({@code suite} "./", no components). Its Release signature is checked with
     * {@code keyring} unless {@code trusted}.
     */
    record Dist(String suite, List<String> components, Path keyring, boolean trusted) {
        public Dist {
            components = List.copyOf(components);
        }

        public boolean flat() {
            return suite.endsWith("/");
        }
    }

    /** A package file placed in the bundle, with its verified sha256. */
    record Shipped(Package pkg, String fileName, String sha256, long size) {}

    /**
     * The shipped packages that came from upstream repos, by repo and upstream checksum: what a
     * writer looks up while it streams each repo's index once to carry the records over.
     */
    static Map<Repo, Map<String, Shipped>> byRepo(List<Shipped> shipped, Predicate<Package> fromElsewhere) {
        Map<Repo, Map<String, Shipped>> out = new LinkedHashMap<>();
        for (Shipped s : shipped)
            if (!fromElsewhere.test(s.pkg()))
                out.computeIfAbsent(s.pkg().repo(), k -> new HashMap<>()).put(s.pkg().checksum().hex(), s);
        return out;
    }

    Rules rules();

    /** Reads every repo's index and returns the universe for the target arch. */
    Universe load(List<Source> sources, String targetArch, MetaSource meta, Log log) throws IOException;

    /**
     * Adds the given file paths to the packages that own them, from full file lists when the
     * family keeps them apart (RPM filelists). Returns the universe unchanged when nothing applies.
     */
    Universe addFiles(Universe u, Collection<String> paths, MetaSource meta) throws IOException;

    /** Reads a package file obtained elsewhere (an URL package) into the model. */
    Package inspect(Path file, String fileName, Checksum sha256, Repo origin) throws IOException;

    /**
     * The newest timestamp in the upstream metadata read (seconds): the bundle's fixed mtime when
     * SOURCE_DATE_EPOCH is not set, so the same metadata gives the same bytes. 0 when unknown.
     */
    long metadataTime();

    /** Writes the repo index for {@code shipped}, all placed flat in {@code dir}. */
    void writeIndex(Path dir, List<Shipped> shipped, long timestamp, MetaSource meta) throws IOException;
}
