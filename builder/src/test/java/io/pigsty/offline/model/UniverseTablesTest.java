package io.pigsty.offline.model;

import io.pigsty.offline.fixtures.Corpora;
import io.pigsty.offline.fixtures.LocalMeta;
import io.pigsty.offline.format.Format;
import io.pigsty.offline.format.rpm.RpmFormat;
import io.pigsty.offline.metadata.MetaSource;
import io.pigsty.offline.metadata.MetadataLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A universe read from the parsed cache (packages decoded on demand, keys looked up in the file's
 * tables) answers every question exactly as one built in memory from the parsed XML, on real CentOS
 * Stream 9 BaseOS + AppStream with its modules, a repo priority and an excludepkgs pattern.
 */
class UniverseTablesTest {
    @TempDir
    Path tmp;

    /** The universe of the two repos; with {@code cache}, kept in (and read from) a parsed cache under tmp. */
    private Universe load(boolean cache) throws Exception {
        Path corpora = Corpora.root();
        List<Format.Source> sources = List.of(
                new Format.Source(new Repo("baseos", 10, List.of("http://127.0.0.1/")), List.of(), false, false, null),
                new Format.Source(new Repo("appstream", 20, List.of("http://127.0.0.1/")), List.of("perl-Test*"), false, false, null));
        MetaSource meta = new MetaSource() {
            private MetaSource dir(Repo repo) {
                return new LocalMeta(corpora.resolve("cs9-" + repo.name()));
            }

            @Override
            public Path root(Repo repo, String path) throws java.io.IOException {
                return dir(repo).root(repo, path);
            }

            @Override
            public Path optionalRoot(Repo repo, String path) throws java.io.IOException {
                return dir(repo).optionalRoot(repo, path);
            }

            @Override
            public Path file(Repo repo, String path, Checksum expected, long size) throws java.io.IOException {
                return dir(repo).file(repo, path, expected, size);
            }

            @Override
            public Path derived(String name) {
                return cache ? tmp.resolve(name) : null;
            }
        };
        return MetadataLoader.load(sources, RpmFormat.INSTANCE, "x86_64", meta, Log.QUIET).universe();
    }

    private static List<String> ids(List<Package> ps) {
        return ps.stream().map(p -> p.nevra() + "@" + p.repo().name()).toList();
    }

    @Test
    void aUniverseReadFromTheCacheAnswersAsOneBuiltInMemory() throws Exception {
        Universe memory = load(false); // no cache: parsed from the XML and indexed in memory
        Universe written = load(true); // parsed, written to the cache and read back from it
        Universe read = load(true); // read from the cache
        assertTrue(memory.packages().stream().allMatch(Package::decoded));
        assertTrue(read.packages().stream().noneMatch(Package::decoded), "loading decodes no package's dependencies");
        assertTrue(written.packages().stream().noneMatch(Package::decoded), "a cold load drops what it parsed for what it wrote");
        assertEquals(ids(memory.packages()), ids(written.packages()));
        assertEquals(ids(memory.packages()), ids(read.packages()));
        assertEquals(memory.names(), read.names());
        // positions order packages as the universe lists them (the solver breaks ties by them)
        for (int i = 1; i < read.packages().size(); i++) {
            assertEquals(i, memory.position(memory.packages().get(i)));
            assertTrue(read.position(read.packages().get(i)) > read.position(read.packages().get(i - 1)), "position " + i);
        }
        assertEquals(-1, read.position(memory.packages().get(0)), "a package of another universe has no place here");
        assertTrue(memory.packages().size() > 18_000, "modules, priority and excludes leave " + memory.packages().size());

        Set<Dep> deps = new LinkedHashSet<>(), files = new LinkedHashSet<>();
        Set<String> obsoleted = new TreeSet<>();
        for (Package p : memory.packages()) {
            List<Dep> all = new ArrayList<>(p.provides());
            all.addAll(p.conflicts());
            all.addAll(p.obsoletes());
            for (Req r : p.requires()) all.addAll(Req.needed(r));
            for (Dep d : all) (d.isFile() ? files : deps).add(d);
            for (Dep o : p.obsoletes()) obsoleted.add(o.name());
        }
        assertTrue(deps.size() > 50_000, deps.size() + " capabilities");
        for (Dep d : deps) assertEquals(ids(memory.whatProvides(d)), ids(read.whatProvides(d)), d.toString());
        assertTrue(read.packages().stream().noneMatch(Package::decoded), "a capability's providers are found without decoding them");
        for (Dep d : files) assertEquals(ids(memory.whatProvides(d)), ids(read.whatProvides(d)), d.toString());
        for (String o : obsoleted) assertEquals(ids(memory.obsoleting(o)), ids(read.obsoleting(o)), o);
        assertFalse(obsoleted.isEmpty());
        List<String> unprovided = memory.unprovidedFileRequirements();
        assertEquals(unprovided, read.unprovidedFileRequirements());
        assertFalse(unprovided.isEmpty(), "CS9 requires paths only its file lists name");
        for (int i = 0; i < memory.packages().size(); i += 97) {
            Package m = memory.packages().get(i), r = read.packages().get(i);
            for (Dep d : m.provides()) assertEquals(memory.provides(m, d), read.provides(r, d));
            assertTrue(read.provides(r, Dep.of(r.name(), Op.EQ, r.evr())));
            assertFalse(read.provides(r, Dep.of(r.name(), Op.GT, r.evr())));
        }

        // file lists add owners: the changed packages take their places, in both
        Package bash = memory.named("bash").get(0), coreutils = memory.named("coreutils").get(0);
        Map<PackageId, List<String>> owners = Map.of(PackageId.of(bash), List.of(unprovided.get(0), "/usr/share/doc/bash"),
                PackageId.of(coreutils), List.of(unprovided.get(0)));
        Universe memory2 = memory.withFiles(owners), read2 = read.withFiles(owners);
        for (String path : List.of(unprovided.get(0), "/usr/share/doc/bash", "/bin/sh", "/usr/bin/bash")) {
            assertEquals(ids(memory2.whatProvides(Dep.of(path))), ids(read2.whatProvides(Dep.of(path))), path);
            assertFalse(read2.whatProvides(Dep.of(path)).isEmpty(), path);
        }
        assertEquals(ids(memory2.whatProvides(Dep.of("bash"))), ids(read2.whatProvides(Dep.of("bash"))));
        assertTrue(read2.named("bash").get(0).files().contains("/usr/share/doc/bash"), "the changed package is the one found");
        assertEquals(memory2.unprovidedFileRequirements(), read2.unprovidedFileRequirements());

        // packages from elsewhere come after the repos' in every lookup
        Package extra = new Package("my-shell", new Evr(0, "1", "1"), "x86_64", List.of(Dep.of("bash", Op.EQ, new Evr(0, "9", "1"))),
                List.of(Req.atom(Dep.of("/opt/my/lib"))), List.of(), List.of(Dep.of("tcsh")), List.of(), List.of(), List.of(),
                List.of("/opt/my/bin"), "my-shell.rpm", 1, Checksum.sha256("ab".repeat(32)), new Repo("local", 1, List.of("http://127.0.0.1/")), null);
        Universe memory3 = memory2.with(List.of(extra)), read3 = read2.with(List.of(extra));
        for (Dep d : List.of(Dep.of("bash"), Dep.of("bash", Op.GE, new Evr(0, "5", "")), Dep.of("/opt/my/bin"), Dep.of("my-shell")))
            assertEquals(ids(memory3.whatProvides(d)), ids(read3.whatProvides(d)), d.toString());
        assertEquals(ids(memory3.obsoleting("tcsh")), ids(read3.obsoleting("tcsh")));
        assertTrue(ids(read3.obsoleting("tcsh")).contains(extra.nevra() + "@local"));
        assertEquals(memory3.unprovidedFileRequirements(), read3.unprovidedFileRequirements());
        assertTrue(read3.unprovidedFileRequirements().contains("/opt/my/lib"));

        assertEquals(memory.packages(), read.packages(), "every package equal, dependencies and all");
    }
}
