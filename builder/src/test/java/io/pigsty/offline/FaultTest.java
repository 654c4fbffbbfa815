package io.pigsty.offline;

import io.pigsty.offline.fixtures.FileServer.Fault;
import io.pigsty.offline.fixtures.FileServer;
import io.pigsty.offline.fixtures.Homes;
import io.pigsty.offline.fixtures.Tools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.pigsty.offline.ElEndToEndTest.cli;
import static io.pigsty.offline.fixtures.Rpms.rpm;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Network faults on 127.0.0.1: dropped connections, 5xx, 429, stalls, corrupt content, dead
 * mirrors, and a build killed with SIGKILL mid-download. Each is retried, failed over, resumed, or
 * ends in a clear exit-4 error; nothing partial ever appears at the destination.
 */
class FaultTest {
    @TempDir
    static Path tmp;
    static FileServer primary, secondary;
    static final String BIG = "big-1.0-1.x86_64.rpm";

    @BeforeAll
    static void fixture() throws Exception {
        Path repo = tmp.resolve("upstream/repo");
        byte[] noise = new byte[3 << 20];
        new SecureRandom().nextBytes(noise);
        Path blob = tmp.resolve("noise");
        Files.write(blob, noise);
        rpm("big").version("1.0").file("/usr/share/big/blob", new String(java.util.Base64.getEncoder().encode(noise)))
                .build(repo.resolve("Packages"));
        rpm("small").version("1.0").arch("noarch").requires("big").build(repo.resolve("Packages"));
        Tools.run(repo, "createrepo_c", "--no-database", ".").ok();
        primary = new FileServer(tmp.resolve("upstream"));
        secondary = new FileServer(tmp.resolve("upstream"));
    }

    @AfterAll
    static void stop() throws Exception {
        primary.close();
        secondary.close();
    }

    @AfterEach
    void heal() {
        primary.heal();
        secondary.heal();
        primary.clearLog();
        secondary.clearLog();
    }

    /** A home whose only repo has the given mirrors (space-separated URLs). */
    static Path home(String name, String mirrors) throws Exception {
        return Homes.el9(tmp.resolve(name), "small", Map.of("fx", mirrors));
    }

    static String[] args(Path home, Path work, String... extra) {
        List<String> a = new ArrayList<>(List.of("offline", "--os", "el9", "--home", home.toString(),
                "--cache", work.resolve("cache").toString(), "--repo-dir", work.resolve("www/pigsty").toString(),
                "--dist", work.resolve("dist").toString(), "--timeout", "2", "-q", "--no-launcher"));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    static void assertBuilt(Path work) throws Exception {
        Tools.run(work.resolve("www/pigsty"), "sha256sum", "--strict", "-c", "repo_complete").ok();
        assertTrue(Files.exists(work.resolve("dist/v1/pigsty-pkg-v1.el9.x86_64.tgz")));
    }

    static void assertNothingPublished(Path work) throws Exception {
        assertFalse(Files.exists(work.resolve("www/pigsty")), "a repo tree appeared at the destination");
        if (Files.exists(work.resolve("www")))
            try (Stream<Path> s = Files.list(work.resolve("www"))) {
                // the build lock stays (deleting a lock file races with a build waiting on it); nothing else may
                assertEquals(List.of(), s.filter(p -> !p.getFileName().toString().equals(".pigsty-build.lock")).toList(),
                        "leftovers beside the destination");
            }
        assertFalse(Files.exists(work.resolve("dist/v1/pigsty-pkg-v1.el9.x86_64.tgz")));
    }

    @Test
    void droppedConnectionIsResumedWithRange() throws Exception {
        Path work = tmp.resolve("drop");
        primary.failNext(BIG, Fault.DROP);
        ElEndToEndTest.Cli c = cli(args(home("h-drop", primary.url("repo/")), work));
        assertEquals(0, c.code(), c.err());
        assertBuilt(work);
        assertTrue(primary.requests().stream().anyMatch(r -> r.contains(BIG) && r.contains("bytes=")), primary.requests().toString());
    }

    @Test
    void serverErrorsAndRateLimitsAreRetried() throws Exception {
        Path work = tmp.resolve("5xx");
        primary.failNext(BIG, Fault.STATUS_500, Fault.STATUS_429);
        primary.failNext("repomd.xml", Fault.STATUS_500);
        ElEndToEndTest.Cli c = cli(args(home("h-5xx", primary.url("repo/")), work));
        assertEquals(0, c.code(), c.err());
        assertBuilt(work);
        assertEquals(3, primary.requests().stream().filter(r -> r.contains(BIG)).count(), primary.requests().toString());
    }

    @Test
    void stalledTransferTimesOutAndIsRetried() throws Exception {
        Path work = tmp.resolve("stall");
        primary.failNext(BIG, Fault.STALL);
        long t0 = System.nanoTime();
        ElEndToEndTest.Cli c = cli(args(home("h-stall", primary.url("repo/")), work));
        assertEquals(0, c.code(), c.err());
        assertBuilt(work);
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(30));
    }

    @Test
    void corruptContentIsRetriedAndNeverCached() throws Exception {
        Path work = tmp.resolve("corrupt-once");
        primary.failNext(BIG, Fault.CORRUPT);
        ElEndToEndTest.Cli c = cli(args(home("h-corrupt1", primary.url("repo/")), work));
        assertEquals(0, c.code(), c.err());
        assertBuilt(work);
    }

    @Test
    void persistentCorruptionIsExit4NamingPackageAndUrls() throws Exception {
        Path work = tmp.resolve("corrupt");
        primary.failAlways(BIG, Fault.CORRUPT);
        ElEndToEndTest.Cli c = cli(args(home("h-corrupt", primary.url("repo/")), work));
        assertEquals(4, c.code(), c.err());
        assertTrue(c.err().contains(BIG) && c.err().contains("checksum mismatch") && c.err().contains(primary.url("repo/Packages/" + BIG)), c.err());
        assertNothingPublished(work);
        try (Stream<Path> s = Files.walk(work.resolve("cache/blobs"))) {
            assertTrue(s.filter(Files::isRegularFile).noneMatch(p -> p.toString().endsWith(".part") && p.toFile().length() > 0),
                    "corrupt bytes were kept for resuming");
        }
    }

    @Test
    void aPackageChangedInTheTreeDoesNotPoisonTheCache() throws Exception {
        Path work = tmp.resolve("poison");
        Path home = home("h-poison", primary.url("repo/"));
        assertEquals(0, cli(args(home, work)).code());
        // The tree hard-links cache blobs: change the package in place, as `rpm --addsign` would.
        Path inTree = work.resolve("www/pigsty/" + BIG);
        try (var ch = java.nio.channels.FileChannel.open(inTree, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap("tampered".getBytes()), 100);
        }
        primary.clearLog();
        ElEndToEndTest.Cli c = cli(args(home, work));
        assertEquals(0, c.code(), c.err());
        assertTrue(primary.requests().stream().anyMatch(r -> r.contains(BIG)), "the changed blob was reused: " + primary.requests());
        assertBuilt(work);
    }

    @Test
    void aMirrorSendingMoreThanTheStatedSizeIsCutOff() throws Exception {
        Path work = tmp.resolve("oversize");
        primary.failAlways(BIG, Fault.OVERSIZE);
        ElEndToEndTest.Cli c = cli(args(home("h-oversize", primary.url("repo/")), work, "--retries", "1"));
        assertEquals(4, c.code(), c.err());
        assertTrue(c.err().contains(BIG) && c.err().contains("larger than the"), c.err());
        assertNothingPublished(work);
        try (Stream<Path> s = Files.walk(work.resolve("cache/blobs"))) {
            assertTrue(s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).max().orElse(0) < 4 << 20,
                    "the oversized body reached the disk");
        }
    }

    @Test
    void deadMirrorFailsOverToTheNext() throws Exception {
        Path work = tmp.resolve("failover");
        primary.failAlways("", Fault.STATUS_500);
        ElEndToEndTest.Cli c = cli(args(home("h-failover", primary.url("repo/") + " " + secondary.url("repo/")), work));
        assertEquals(0, c.code(), c.err());
        assertBuilt(work);
        assertTrue(secondary.requests().stream().anyMatch(r -> r.contains(BIG)));
    }

    @Test
    void unreachableRepoIsExit4WithEveryUrlTried() throws Exception {
        Path work = tmp.resolve("down");
        primary.failAlways("repomd.xml", Fault.STATUS_500);
        secondary.failAlways("repomd.xml", Fault.NOT_FOUND);
        ElEndToEndTest.Cli c = cli(args(home("h-down", primary.url("repo/") + " " + secondary.url("repo/")), work, "--retries", "2"));
        assertEquals(4, c.code(), c.err());
        assertTrue(c.err().contains("repo fx") && c.err().contains(primary.url("repo/repodata/repomd.xml")) && c.err().contains("HTTP 500"), c.err());
        assertNothingPublished(work);
    }

    @Test
    void killedMidDownloadThenRerunResumesFromTheCache() throws Exception {
        Path work = tmp.resolve("kill");
        Path home = home("h-kill", primary.url("repo/"));
        primary.failAlways(BIG, Fault.SLOW);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.pigsty.offline.cli.Main"));
        cmd.addAll(List.of(args(home, work)));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("kill.log").toFile()).start();
        Path parts = work.resolve("cache/blobs/sha256");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long partial = 0;
        while (System.nanoTime() < deadline && partial < 256 * 1024) {
            Thread.sleep(100);
            if (Files.exists(parts))
                try (Stream<Path> s = Files.walk(parts)) {
                    partial = s.filter(x -> x.toString().endsWith(".part")).mapToLong(x -> x.toFile().length()).max().orElse(0);
                }
        }
        assertTrue(partial >= 256 * 1024, "the download never got going: " + Files.readString(tmp.resolve("kill.log")));
        p.destroyForcibly(); // SIGKILL: no shutdown hooks, no cleanup
        p.waitFor(10, TimeUnit.SECONDS);
        assertNothingPublished(work);

        primary.heal();
        primary.clearLog();
        ElEndToEndTest.Cli c = cli(args(home, work));
        assertEquals(0, c.code(), c.err());
        assertBuilt(work);
        assertTrue(primary.requests().stream().anyMatch(r -> r.contains(BIG) && r.contains("bytes=")),
                "the rerun did not resume: " + primary.requests());
        // A third run downloads nothing unchanged: no package, no metadata, only repomd.xml revalidated.
        primary.clearLog();
        assertEquals(0, cli(args(home, work)).code());
        assertEquals(List.of("GET /repo/repodata/repomd.xml"), primary.requests());
    }
}
