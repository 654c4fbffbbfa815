package io.pigsty.offline;

import io.pigsty.offline.fixtures.FileServer;
import io.pigsty.offline.fixtures.Tools;
import io.pigsty.offline.fixtures.YumFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.pigsty.offline.ElEndToEndTest.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A full disk is the build's own failure: exit 1 with the path and the OS's words, never retried as
 * a network error, nothing half-written left behind. The disks are small tmpfs mounts made here.
 */
class DiskFullTest {
    @TempDir
    static Path tmp;
    static FileServer server;
    static Path home;
    static final List<Path> mounts = new ArrayList<>();

    @BeforeAll
    static void fixture() throws Exception {
        Tools.require("mount", "umount");
        YumFixture.create(tmp.resolve("upstream"));
        server = new FileServer(tmp.resolve("upstream"));
        home = YumFixture.home(tmp.resolve("home"), server.url(""), List.of("app", "tool"));
    }

    /**
     * The builds ran in this JVM, which keeps the parsed caches they mapped until the collector
     * frees the buffers (a builder process unmaps them as it exits): collect, then unmount, and
     * detach a disk that stays busy so no mount outlives the test.
     */
    @AfterAll
    static void stop() throws InterruptedException {
        server.close();
        for (Path m : mounts) {
            boolean done = false;
            for (int i = 0; i < 20 && !done; i++) {
                System.gc();
                Thread.sleep(50);
                done = Tools.run(null, "umount", m.toString()).code() == 0;
            }
            if (!done) Tools.run(null, "umount", "-l", m.toString()).ok();
        }
    }

    /** A tmpfs of {@code kib} KiB at a new directory. */
    static Path disk(String name, int kib) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Tools.run(null, "mount", "-t", "tmpfs", "-o", "size=" + kib + "k", "tmpfs", dir.toString()).ok();
        mounts.add(dir);
        return dir;
    }

    static ElEndToEndTest.Cli build(Path cache, Path dist, Path www) {
        return cli(new String[] {"offline", "--os", "el9", "--home", home.toString(), "--cache", cache.toString(),
                "--repo-dir", www.resolve("pigsty").toString(), "--dist", dist.toString(), "--no-launcher", "--timeout", "5"});
    }

    static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.map(p -> dir.relativize(p).toString()).filter(n -> !n.isEmpty()).sorted().toList();
        }
    }

    @Test
    void aFullDistDiskIsExit1WithThePathAndLeavesNoPartialTarball() throws Exception {
        Path dist = disk("dist-full", 16);
        ElEndToEndTest.Cli c = build(tmp.resolve("cache-a"), dist, tmp.resolve("www-a"));
        assertEquals(1, c.code(), c.err());
        assertTrue(c.err().contains("cannot write " + dist) && c.err().contains("No space left on device")
                && c.err().contains("the disk is full"), c.err());
        assertFalse(c.err().contains("Self-suppression"), c.err());
        assertTrue(names(dist).stream().noneMatch(n -> n.contains(".tmp")), names(dist).toString());
        assertTrue(names(dist).stream().noneMatch(n -> n.endsWith(".tgz")), names(dist).toString());
        // the repo tree itself was published whole before packing
        Tools.run(tmp.resolve("www-a/pigsty"), "sha256sum", "--strict", "-c", "repo_complete").ok();
    }

    @Test
    void aFullCacheDiskIsExit1NotANetworkError() throws Exception {
        Path cache = disk("cache-full", 48);
        ElEndToEndTest.Cli c = build(cache, tmp.resolve("dist-b"), tmp.resolve("www-b"));
        assertEquals(1, c.code(), c.err());
        assertTrue(c.err().contains("cannot write " + cache) && c.err().contains("No space left on device"), c.err());
        assertFalse(c.err().contains("every mirror failed"), "retried as a network error:\n" + c.err());
        assertFalse(Files.exists(tmp.resolve("www-b/pigsty")), "a tree was published");
    }
}
