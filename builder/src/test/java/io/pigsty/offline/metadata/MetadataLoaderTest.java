package io.pigsty.offline.metadata;

import io.pigsty.offline.fixtures.Tools;
import io.pigsty.offline.format.Format;
import io.pigsty.offline.format.rpm.RpmFormat;
import io.pigsty.offline.model.BuildException;
import io.pigsty.offline.model.Checksum;
import io.pigsty.offline.model.ExitCode;
import io.pigsty.offline.model.Log;
import io.pigsty.offline.model.MetadataException;
import io.pigsty.offline.model.Package;
import io.pigsty.offline.model.Repo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static io.pigsty.offline.fixtures.Rpms.rpm;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The metadata stage on its own: repos read through a MetaSource, a skippable repo that cannot be
 * reached left out with a warning (never one whose metadata is bad), every failure told at once, and
 * parsed package lists kept for the next run.
 */
class MetadataLoaderTest {
    @TempDir
    Path tmp;

    /** Repos as directories; a repo named in {@code down} answers like an unreachable mirror, in {@code bad} like corrupt metadata. */
    private final class Dirs implements MetaSource {
        final Set<String> down, bad;
        final List<String> files = new ArrayList<>();

        Dirs(Set<String> down, Set<String> bad) {
            this.down = down;
            this.bad = bad;
        }

        private Path at(Repo repo, String path) throws IOException {
            if (down.contains(repo.name())) throw new BuildException(ExitCode.NETWORK, "repo " + repo.name() + ": cannot fetch " + path);
            if (bad.contains(repo.name())) throw new MetadataException("repo " + repo.name() + ": " + path + " does not match its checksum");
            return tmp.resolve(repo.name()).resolve(path);
        }

        @Override
        public Path root(Repo repo, String path) throws IOException {
            return at(repo, path);
        }

        @Override
        public Path optionalRoot(Repo repo, String path) throws IOException {
            return at(repo, path);
        }

        @Override
        public Path file(Repo repo, String path, Checksum expected, long size) throws IOException {
            synchronized (files) {
                files.add(path);
            }
            return at(repo, path);
        }

        @Override
        public Path derived(String name) {
            return tmp.resolve("derived").resolve(name);
        }
    }

    private static final class Warnings implements Log {
        final List<String> lines = new ArrayList<>();

        @Override
        public void info(String line) {}

        @Override
        public synchronized void warn(String line) {
            lines.add(line);
        }
    }

    private Format.Source source(String name, boolean skippable) throws Exception {
        Path repo = tmp.resolve(name);
        if (!Files.exists(repo)) {
            rpm(name + "-tool").version("1.0").requires("bash").build(repo);
            Tools.run(repo, "createrepo_c", "--no-database", ".").ok();
        }
        return new Format.Source(new Repo(name, 99, List.of("http://127.0.0.1:1/" + name + "/")), List.of(), false, skippable, null);
    }

    @Test
    void reposLoadInOrderAndParsedListsAreKept() throws Exception {
        Tools.require("createrepo_c");
        List<Format.Source> sources = List.of(source("one", false), source("two", false));
        Dirs dirs = new Dirs(Set.of(), Set.of());
        Metadata first = MetadataLoader.load(sources, RpmFormat.INSTANCE, "x86_64", dirs, Log.QUIET);
        assertEquals(List.of("one-tool", "two-tool"), first.universe().packages().stream().map(p -> p.name()).toList());
        assertTrue(first.index().newest() > 0, "repomd timestamps date the bundle");
        List<Path> cached;
        try (var s = Files.list(tmp.resolve("derived"))) {
            cached = s.filter(p -> p.getFileName().toString().startsWith("rpm-primary-")).sorted().toList();
        }
        assertEquals(2, cached.size(), "one parsed list per primary");
        assertEquals(cached.stream().map(p -> p.getFileName().toString()).toList(),
                Files.readAllLines(tmp.resolve("derived").resolve(Prefetch.RECENT)), "the next plan's prefetch list");
        // A parsed list that is not ours is parsed again from the verified primary, and replaced. The
        // builder only ever replaces a cache file by renaming a new one over it, so a file a run has
        // mapped never changes under it; this test writes in place, so the first run's packages are
        // decoded before.
        first.universe().packages().forEach(p -> List.of(p.files(), p.location(), p.checksum()));
        for (Path p : cached) Files.writeString(p, "garbage");
        Metadata again = MetadataLoader.load(sources, RpmFormat.INSTANCE, "x86_64", dirs, Log.QUIET);
        assertEquals(first.universe().packages(), again.universe().packages());
        for (Path p : cached) assertTrue(Files.size(p) > "garbage".length(), p + " was written anew");
    }

    /**
     * A prefetch opens the parsed lists the last load used, and the next load takes them: the same
     * packages, no file fetched or parsed again. A listed name that is not a plain file name beside
     * the list is never opened; a listed file that is damaged is left to the load, which parses again.
     */
    @Test
    void aPrefetchOpensTheLastLoadsListsAndTheNextLoadTakesThem() throws Exception {
        Tools.require("createrepo_c");
        List<Format.Source> sources = List.of(source("one", false), source("two", false));
        Metadata first = MetadataLoader.load(sources, RpmFormat.INSTANCE, "x86_64", new Dirs(Set.of(), Set.of()), Log.QUIET);
        first.universe().packages().forEach(p -> List.of(p.files(), p.location(), p.checksum()));
        Path derived = tmp.resolve("derived");
        List<String> listed = Files.readAllLines(derived.resolve(Prefetch.RECENT));
        assertEquals(2, listed.size());

        Dirs warm = new Dirs(Set.of(), Set.of());
        Prefetch ahead = Prefetch.start(warm);
        assertTrue(ahead.take(derived.resolve(listed.get(0))) != null, "opened ahead");
        assertEquals(null, ahead.take(derived.resolve(listed.get(0))), "handed out once");
        Prefetch again = Prefetch.start(warm);
        Metadata second = MetadataLoader.load(sources, RpmFormat.INSTANCE, "x86_64", warm, Log.QUIET, again);
        assertEquals(first.universe().packages(), second.universe().packages());
        for (String name : listed) assertEquals(null, again.take(derived.resolve(name)), "the load took " + name);

        // names that lead elsewhere are not opened; a damaged file is read by the load itself
        Path outside = tmp.resolve("outside-8");
        Files.copy(derived.resolve(listed.get(0)), outside);
        Files.writeString(derived.resolve(Prefetch.RECENT), "../outside-8\n" + outside + "\n.hidden\n" + listed.get(1) + "\n");
        Files.write(derived.resolve(listed.get(1)), new byte[] {1, 2, 3});
        Prefetch hostile = Prefetch.start(warm);
        assertEquals(null, hostile.take(outside), "a path in the list is not opened");
        assertEquals(null, hostile.take(derived.resolve(listed.get(1))), "a damaged file is not handed out");
        Warnings w = new Warnings();
        Metadata third = MetadataLoader.load(sources, RpmFormat.INSTANCE, "x86_64", warm, w, Prefetch.start(warm));
        assertEquals(first.universe().packages(), third.universe().packages());
        assertTrue(w.lines.stream().anyMatch(l -> l.contains("ignoring unreadable parsed cache")), w.lines.toString());
    }

    /**
     * A primary.xml that is not well-formed fails its repo (exit 4), also while it is being parsed
     * straight into the cache: not a cache warning, and no cache file, whole or partial, is left.
     */
    @Test
    void malformedMetadataParsedIntoTheCacheFailsTheRepoAndLeavesNoFile() throws Exception {
        Tools.require("createrepo_c");
        Format.Source src = source("broken", false);
        Path primary;
        try (var s = Files.list(tmp.resolve("broken/repodata"))) {
            primary = s.filter(p -> p.getFileName().toString().endsWith("primary.xml.gz")).findFirst().orElseThrow();
        }
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(primary))) {
            out.write("<metadata packages=\"1\"><package type=\"rpm\"><name>x</name>".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        Warnings w = new Warnings();
        BuildException e = assertThrows(BuildException.class, () -> MetadataLoader.load(List.of(src), RpmFormat.INSTANCE, "x86_64",
                new Dirs(Set.of(), Set.of()), w));
        assertEquals(ExitCode.NETWORK, e.exitCode(), e.getMessage());
        assertTrue(e.getMessage().contains("repo broken") && e.getMessage().contains("malformed primary.xml"), e.getMessage());
        assertTrue(w.lines.stream().noneMatch(l -> l.contains("cannot cache")), w.lines.toString());
        try (var s = Files.list(Files.createDirectories(tmp.resolve("derived")))) {
            List<String> left = s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("rpm-primary-")).toList();
            assertEquals(List.of(), left, "nothing cached from a file that did not parse");
        }
    }

    @Test
    void anUnreachableSkippableRepoIsLeftOutWithAWarning() throws Exception {
        Tools.require("createrepo_c");
        Warnings w = new Warnings();
        Metadata m = MetadataLoader.load(List.of(source("one", false), source("gone", true)), RpmFormat.INSTANCE, "x86_64",
                new Dirs(Set.of("gone"), Set.of()), w);
        assertEquals(List.of("one-tool"), m.universe().packages().stream().map(p -> p.name()).toList());
        assertTrue(w.lines.stream().anyMatch(l -> l.contains("repo gone") && l.contains("skip_if_unavailable")), w.lines.toString());
    }

    @Test
    void badMetadataIsNeverSkippedAndEveryFailureIsToldAtOnce() throws Exception {
        Tools.require("createrepo_c");
        BuildException e = assertThrows(BuildException.class, () -> MetadataLoader.load(
                List.of(source("one", false), source("corrupt", true), source("gone", false)), RpmFormat.INSTANCE, "x86_64",
                new Dirs(Set.of("gone"), Set.of("corrupt")), Log.QUIET));
        assertEquals(ExitCode.NETWORK, e.exitCode());
        assertTrue(e.getMessage().startsWith("2 repos failed"), e.getMessage());
        assertTrue(e.getMessage().contains("repo corrupt") && e.getMessage().contains("repo gone"), e.getMessage());
    }

    /**
     * A warm load reads neither the primary nor the file lists again: the parsed list and the owners
     * of the paths asked for are kept, and the answer equals the one read from the file lists.
     */
    @Test
    void aWarmLoadTouchesNoPrimaryAndNoFileLists() throws Exception {
        Tools.require("createrepo_c");
        Path repo = tmp.resolve("fl");
        rpm("a").version("1.0").requires("/usr/share/b/data").build(repo);
        rpm("b").version("1.0").arch("noarch").file("/usr/share/b/data", "x").build(repo);
        Tools.run(repo, "createrepo_c", "--no-database", ".").ok();
        Format.Source src = new Format.Source(new Repo("fl", 99, List.of("http://127.0.0.1:1/fl/")), List.of(), false, false, null);
        Dirs cold = new Dirs(Set.of(), Set.of());
        Metadata m = MetadataLoader.load(List.of(src), RpmFormat.INSTANCE, "x86_64", cold, Log.QUIET);
        List<String> paths = m.universe().unprovidedFileRequirements();
        assertEquals(List.of("/usr/share/b/data"), paths);
        FileOwners.Found first = FileOwners.find(RpmFormat.INSTANCE, paths, m.index(), Set.of(src.repo()), cold, Log.QUIET);
        assertTrue(cold.files.stream().anyMatch(f -> f.contains("primary")) && cold.files.stream().anyMatch(f -> f.contains("filelists")),
                cold.files.toString());

        Dirs warm = new Dirs(Set.of(), Set.of());
        Metadata again = MetadataLoader.load(List.of(src), RpmFormat.INSTANCE, "x86_64", warm, Log.QUIET);
        FileOwners.Found second = FileOwners.find(RpmFormat.INSTANCE, again.universe().unprovidedFileRequirements(), again.index(),
                Set.of(src.repo()), warm, Log.QUIET);
        assertEquals(List.of(), warm.files, "the warm run fetched or hashed index files");
        assertEquals(first.owners(), second.owners());
        assertEquals(List.of("b"), again.universe().withFiles(second.owners()).whatProvides(io.pigsty.offline.model.Dep.of("/usr/share/b/data"))
                .stream().map(p -> p.name()).toList());
        // other paths asked for: another answer, read from the file lists
        FileOwners.find(RpmFormat.INSTANCE, List.of("/usr/share/b/data", "/nowhere"), again.index(), Set.of(src.repo()), warm, Log.QUIET);
        assertTrue(warm.files.stream().anyMatch(f -> f.contains("filelists")), warm.files.toString());
    }

    /** Module streams are kept too: a warm load neither fetches nor parses modules.yaml, and filters the same. */
    @Test
    void aWarmLoadReadsModuleStreamsFromTheCache() throws Exception {
        Tools.require("createrepo_c", "modifyrepo_c");
        Path repo = tmp.resolve("mod");
        rpm("x").version("1.0").build(repo);
        rpm("x").version("2.0").build(repo); // a stream's artifact; its stream is not the default
        Tools.run(repo, "createrepo_c", "--no-database", ".").ok();
        Path yaml = tmp.resolve("modules.yaml");
        Files.writeString(yaml, """
                ---
                document: modulemd
                version: 2
                data:
                  name: x
                  stream: "2"
                  version: 1
                  context: c
                  arch: x86_64
                  summary: x 2
                  description: x 2
                  license: {module: [MIT]}
                  artifacts:
                    rpms:
                    - x-0:2.0-1.x86_64
                ...
                ---
                document: modulemd-defaults
                version: 1
                data:
                  module: x
                  stream: "1"
                ...
                """);
        Tools.run(repo, "modifyrepo_c", "--mdtype=modules", yaml.toString(), "repodata").ok();
        Format.Source src = new Format.Source(new Repo("mod", 99, List.of("http://127.0.0.1:1/mod/")), List.of(), false, false, null);
        Dirs cold = new Dirs(Set.of(), Set.of());
        Metadata m = MetadataLoader.load(List.of(src), RpmFormat.INSTANCE, "x86_64", cold, Log.QUIET);
        assertTrue(cold.files.stream().anyMatch(f -> f.contains("modules")), cold.files.toString());
        assertEquals(List.of("x-1.0-1.x86_64"), m.universe().packages().stream().map(p -> p.nevra()).toList());
        Dirs warm = new Dirs(Set.of(), Set.of());
        Metadata again = MetadataLoader.load(List.of(src), RpmFormat.INSTANCE, "x86_64", warm, Log.QUIET);
        assertEquals(List.of(), warm.files, "the warm run fetched or hashed index files");
        assertEquals(m.universe().packages(), again.universe().packages());
    }
}
