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
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A build killed with SIGKILL at 20 seeded random moments, each followed by a rerun: after the kill
 * the repo tree is the previous bundle (or, in the instant between the swap's two renames, absent),
 * and after the rerun the tree and dist hold exactly one complete bundle that sha256sum verifies,
 * with nothing a killed run left behind (staging, old trees, temporary files) in them or the cache.
 */
class ChaosTest {
    @TempDir
    static Path tmp;
    static FileServer server;
    static Path home;

    @BeforeAll
    static void fixture() throws Exception {
        Tools.require("sha256sum");
        YumFixture.create(tmp.resolve("upstream"));
        server = new FileServer(tmp.resolve("upstream"));
        home = YumFixture.home(tmp.resolve("home"), server.url(""), YumFixture.REQUEST);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Process start(int version) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.pigsty.offline.cli.Main", "offline", "--os", "el9",
                "--home", home.toString(), "--cache", tmp.resolve("cache").toString(), "--repo-dir", tmp.resolve("www/pigsty").toString(),
                "--dist", tmp.resolve("dist").toString(), "--no-launcher", "-q", "-e", "version=v" + version, "--timeout", "5"));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("run-" + version + ".log").toFile()).start();
    }

    static List<String> names(Path dir) throws Exception {
        if (!Files.exists(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** The tree verifies and is the bundle of {@code version} (its manifest says so). */
    static void treeIs(int version) throws Exception {
        Path tree = tmp.resolve("www/pigsty");
        Tools.run(tree, "sha256sum", "--strict", "--quiet", "-c", "repo_complete").ok();
        assertTrue(Files.readString(tree.resolve("manifest.json")).contains("\"pigsty-pkg-v" + version + ".el9.x86_64\""), "not v" + version);
    }

    @Test
    void killedAtRandomTheBuildAlwaysLeavesOneWholeBundle() throws Exception {
        long t0 = System.nanoTime();
        Process first = start(1);
        assertTrue(first.waitFor(300, TimeUnit.SECONDS) && first.exitValue() == 0, Files.readString(tmp.resolve("run-1.log")));
        long took = (System.nanoTime() - t0) / 1_000_000;
        treeIs(1);
        Random rnd = new Random(20261126);
        int done = 1, cut = 0;
        for (int i = 0; i < 20; i++) {
            int v = done + 1;
            Process p = start(v);
            long at = rnd.nextInt((int) Math.max(200, took));
            boolean finished = p.waitFor(at, TimeUnit.MILLISECONDS);
            if (!finished) {
                p.destroyForcibly(); // SIGKILL: no shutdown hooks, no cleanup
                p.waitFor(30, TimeUnit.SECONDS);
                cut++;
            }
            // right after the kill: the previous bundle, or this one if it got that far, or (only inside the swap) none
            if (Files.exists(tmp.resolve("www/pigsty"))) {
                String m = Files.readString(tmp.resolve("www/pigsty/manifest.json"));
                treeIs(m.contains("\"pigsty-pkg-v" + v + ".") ? v : done);
            }
            Process rerun = start(v);
            assertTrue(rerun.waitFor(300, TimeUnit.SECONDS), "the rerun hung");
            assertEquals(0, rerun.exitValue(), Files.readString(tmp.resolve("run-" + v + ".log")));
            treeIs(v);
            done = v;
            // nothing left over beside the tree, in dist or in the cache
            assertEquals(List.of(".pigsty-build.lock", "pigsty"), names(tmp.resolve("www")), "leftovers beside the tree");
            List<String> dist = names(tmp.resolve("dist/v" + v));
            assertEquals(List.of("pigsty-pkg-v" + v + ".el9.x86_64.tgz", "pigsty-pkg-v" + v + ".el9.x86_64.tgz.sha256"), dist);
            Tools.run(tmp.resolve("dist/v" + v), "sha256sum", "--strict", "--quiet", "-c", dist.get(1)).ok();
            try (Stream<Path> s = Files.walk(tmp.resolve("cache"))) {
                List<String> tmps = s.map(Path::toString).filter(n -> n.matches(".*\\.tmp\\d+$")).toList();
                assertTrue(tmps.isEmpty(), tmps.toString());
            }
        }
        System.out.printf("chaos: %d of 20 builds killed mid-way (a clean build takes %d ms); every rerun left one whole bundle%n", cut, took);
        assertTrue(cut >= 10, "too few builds were actually cut: " + cut);
    }
}
