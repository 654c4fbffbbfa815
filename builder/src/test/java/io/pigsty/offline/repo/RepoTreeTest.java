package io.pigsty.offline.repo;

import io.pigsty.offline.fixtures.Tools;
import io.pigsty.offline.format.Format;
import io.pigsty.offline.format.IndexSet;
import io.pigsty.offline.format.PackageContents;
import io.pigsty.offline.format.deb.DebFormat;
import io.pigsty.offline.model.BuildException;
import io.pigsty.offline.model.Checksum;
import io.pigsty.offline.model.Log;
import io.pigsty.offline.model.Repo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Publishing a tree on its own: the packages, index, manifest and repo_complete land together, a
 * failed publish leaves the previous tree as it was and no staging behind, and a swap cut short is
 * put back by the next run.
 */
class RepoTreeTest {
    @TempDir
    Path tmp;

    private static final Repo LOCAL = new Repo("local", 0, List.of("file:///"));
    private static final Sbom.Subject SUBJECT = new Sbom.Subject("pigsty-pkg-v1.d12.x86_64", "v1", "d12", "bookworm", "x86_64", "deb", "test",
            1700000000L, Map.of(), java.util.Set.of(Sbom.Kind.CYCLONEDX));

    /** A real .deb of our own (as URL packages and the launcher are), shipped with its own control record. */
    private RepoTree.Item item(String name, String content) throws IOException {
        Path src = tmp.resolve("src-" + name);
        Files.writeString(src, content);
        PackageContents c = new PackageContents(name, "1.0", "test " + name, "A package for the publish test.",
                "https://pigsty.io", "MIT", "Pigsty", List.of(new PackageContents.Content("/usr/share/" + name, src, 0644)), Set.of());
        Path deb = DebFormat.INSTANCE.buildPackage(c, tmp.resolve("cache"), 1700000000L);
        String sha = Checksum.sha256Of(deb);
        Format.Inspected in = DebFormat.INSTANCE.inspect(deb, deb.getFileName().toString(), Checksum.sha256(sha), LOCAL);
        return new RepoTree.Item(new Format.Shipped(in.pkg(), deb.getFileName().toString(), sha, Files.size(deb), in.record()), deb);
    }

    /** A format whose writer fails, to see what a failed publish leaves. */
    private static final Format FAILING = (Format) java.lang.reflect.Proxy.newProxyInstance(Format.class.getClassLoader(),
            new Class<?>[] {Format.class}, (proxy, m, args) -> {
                if (m.getName().equals("writeIndex")) throw new IOException("disk on fire");
                throw new UnsupportedOperationException(m.getName());
            });

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void aPublishedTreeHoldsEverythingAndVerifiesWithSha256sum() throws Exception {
        Tools.require("sha256sum");
        Path dest = tmp.resolve("www/pigsty");
        Path inv = tmp.resolve("pigsty.yml");
        Files.writeString(inv, "all: {}\n");
        RepoTree.publish(dest, List.of(item("a", "aaa"), item("b", "bbb")),
                Map.of("inventory/pigsty.yml", inv), DebFormat.INSTANCE, new IndexSet(List.of()), 1700000000L, "{}\n", SUBJECT, null, Log.QUIET);
        assertEquals(List.of("", "Packages", "Packages.gz", "Release", "a_1.0-1_all.deb", "b_1.0-1_all.deb", "inventory",
                "inventory/pigsty.yml", "manifest.json", "repo_complete", "sbom.cdx.json"), listing(dest));
        // every file but repo_complete itself: 2 packages, the index (3), the inventory, the manifest, the SBOM
        assertEquals(8, Files.readAllLines(dest.resolve("repo_complete")).size());
        Tools.run(dest, "sha256sum", "-c", "--strict", "repo_complete").ok();
        // The index carries each package's own control record, pointing at its flat file.
        String packages = Files.readString(dest.resolve("Packages"));
        assertTrue(packages.contains("Package: a\n") && packages.contains("Filename: ./a_1.0-1_all.deb"), packages);
        try (Stream<Path> s = Files.list(dest.getParent())) {
            assertEquals(List.of("pigsty"), s.map(p -> p.getFileName().toString()).toList(), "no staging left beside it");
        }
    }

    @Test
    void aFailedPublishLeavesThePreviousTreeUntouched() throws Exception {
        Path dest = tmp.resolve("www/pigsty");
        RepoTree.publish(dest, List.of(item("a", "aaa")), Map.of(), DebFormat.INSTANCE, new IndexSet(List.of()),
                1700000000L, "{\"v\": 1}\n", SUBJECT, null, Log.QUIET);
        List<String> before = listing(dest);
        String manifest = Files.readString(dest.resolve("manifest.json"));
        assertThrows(io.pigsty.offline.model.BuildException.class, () -> RepoTree.publish(dest, List.of(item("c", "ccc")), Map.of(), FAILING,
                new IndexSet(List.of()), 1700000000L, "{\"v\": 2}\n", SUBJECT, null, Log.QUIET));
        assertEquals(before, listing(dest));
        assertEquals(manifest, Files.readString(dest.resolve("manifest.json")));
        try (Stream<Path> s = Files.list(dest.getParent())) {
            assertEquals(List.of("pigsty"), s.map(p -> p.getFileName().toString()).toList(), "the staging tree was removed");
        }
    }

    @Test
    void unsafeOrCollidingNamesAreRefusedBeforeAnythingIsPublished() throws Exception {
        Path dest = tmp.resolve("www/pigsty");
        RepoTree.Item a = item("a", "aaa");
        RepoTree.Item clash = new RepoTree.Item(new Format.Shipped(a.shipped().pkg(), a.shipped().fileName(), "0".repeat(64), 3,
                a.shipped().own()), a.source());
        assertThrows(BuildException.class, () -> RepoTree.publish(dest, List.of(a, clash), Map.of(), DebFormat.INSTANCE,
                new IndexSet(List.of()), 1700000000L, "{}\n", SUBJECT, null, Log.QUIET));
        assertThrows(BuildException.class, () -> RepoTree.publish(dest, List.of(a), Map.of("../escape", a.source()),
                DebFormat.INSTANCE, new IndexSet(List.of()), 1700000000L, "{}\n", SUBJECT, null, Log.QUIET));
        assertFalse(Files.exists(dest));
    }

    @Test
    void aSwapCutShortIsPutBackByTheNextRun() throws Exception {
        Path dest = tmp.resolve("www/pigsty");
        RepoTree.publish(dest, List.of(item("a", "aaa")), Map.of(), DebFormat.INSTANCE, new IndexSet(List.of()),
                1700000000L, "{}\n", SUBJECT, null, Log.QUIET);
        // A build killed between its two renames: the old tree is aside under a dead pid, no destination.
        Path aside = dest.resolveSibling(".pigsty.old-999999999");
        Files.move(dest, aside);
        assertThrows(io.pigsty.offline.model.BuildException.class, () -> RepoTree.publish(dest, List.of(item("b", "bbb")), Map.of(), FAILING,
                new IndexSet(List.of()), 1700000000L, "{}\n", SUBJECT, null, Log.QUIET));
        assertTrue(Files.exists(dest.resolve("a_1.0-1_all.deb")), "the set-aside tree is back");
        assertFalse(Files.exists(aside));
    }

    /**
     * On this machine's file systems the publish swaps the trees in one step: a reader polling the
     * destination through 30 republishes never finds it missing (with two renames it can).
     */
    @Test
    void theDestinationIsNeverAbsentWhileATreeIsReplaced() throws Exception {
        Path a = Files.createDirectories(tmp.resolve("x/a")), b = Files.createDirectories(tmp.resolve("x/b"));
        Files.writeString(a.resolve("which"), "a");
        Files.writeString(b.resolve("which"), "b");
        assertTrue(RepoTree.exchange(a, b), "renameat2(RENAME_EXCHANGE) works here");
        assertEquals("b", Files.readString(a.resolve("which")));
        assertEquals("a", Files.readString(b.resolve("which")));

        Path dest = tmp.resolve("www/pigsty");
        RepoTree.publish(dest, List.of(item("a", "aaa")), Map.of(), DebFormat.INSTANCE, new IndexSet(List.of()),
                1700000000L, "{}\n", SUBJECT, null, Log.QUIET);
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger missing = new java.util.concurrent.atomic.AtomicInteger(), looks = new java.util.concurrent.atomic.AtomicInteger();
        Thread reader = new Thread(() -> {
            while (!stop.get()) {
                if (!Files.exists(dest.resolve("repo_complete"))) missing.incrementAndGet();
                looks.incrementAndGet();
            }
        });
        reader.start();
        try {
            for (int i = 0; i < 30; i++)
                RepoTree.publish(dest, List.of(item("a", "aaa" + i)), Map.of(), DebFormat.INSTANCE, new IndexSet(List.of()),
                        1700000000L, "{\"n\": " + i + "}\n", SUBJECT, null, Log.QUIET);
        } finally {
            stop.set(true);
            reader.join();
        }
        assertTrue(looks.get() > 1000, looks.get() + " looks");
        assertEquals(0, missing.get(), "the destination was absent at some instant");
        assertEquals("{\"n\": 29}\n", Files.readString(dest.resolve("manifest.json")));
        try (Stream<Path> s = Files.list(dest.getParent())) {
            assertEquals(List.of("pigsty"), s.map(p -> p.getFileName().toString()).toList(), "nothing left beside it");
        }
    }
}
