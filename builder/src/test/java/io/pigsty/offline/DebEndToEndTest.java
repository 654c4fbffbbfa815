package io.pigsty.offline;

import io.pigsty.offline.fixtures.AptFixture;
import io.pigsty.offline.fixtures.AptSandbox;
import io.pigsty.offline.fixtures.FileServer;
import io.pigsty.offline.fixtures.Tools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.pigsty.offline.ElEndToEndTest.cli;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole Debian job against signed fixture repos on 127.0.0.1, judged by a sandboxed apt-get
 * (empty dpkg status, the built flat repo as the only source), dpkg-deb, tar and sha256sum.
 */
class DebEndToEndTest {
    @TempDir
    static Path tmp;
    static FileServer server;
    static AptFixture fx;
    static Path home;

    @BeforeAll
    static void fixture() throws Exception {
        Tools.require("dpkg-deb", "apt-get", "tar", "sha256sum");
        fx = AptFixture.create(tmp.resolve("upstream"));
        server = new FileServer(tmp.resolve("upstream"));
        home = fx.home(tmp.resolve("home"), server.url(""), AptFixture.REQUEST);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String[] offline(Path work, String... extra) {
        List<String> a = new ArrayList<>(List.of("offline", "--os", "d12", "--home", home.toString(),
                "--cache", work.resolve("cache").toString(), "--repo-dir", work.resolve("www/pigsty").toString(),
                "--dist", work.resolve("dist").toString(), "--timeout", "5"));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    @Test
    void bundleInstallsWithAptFromTheBuiltRepoAlone() throws Exception {
        Path work = tmp.resolve("e2e");
        ElEndToEndTest.Cli c = cli(offline(work, "--sbom", "cyclonedx,spdx"));
        assertEquals(0, c.code(), c.err());
        Path tree = work.resolve("www/pigsty");
        Path tgz = work.resolve("dist/v9.9.9/pigsty-pkg-v9.9.9.d12.x86_64.tgz");
        assertTrue(Files.isRegularFile(tgz), c.err());
        Tools.run(tree, "sha256sum", "--strict", "-c", "repo_complete").ok();
        List<String> debs;
        try (Stream<Path> s = Files.list(tree)) {
            debs = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".deb")).sorted().collect(Collectors.toList());
        }
        for (String d : debs) Tools.run(tree, "dpkg-deb", "-I", d).ok();
        java.util.Map<String, List<String>> graph = io.pigsty.offline.fixtures.SbomCheck.check(tree, ".deb");
        io.pigsty.offline.fixtures.SbomCheck.spdx(tree, ".deb", graph);
        assertTrue(graph.get("app").containsAll(List.of("libapp1", "python3", "init-helpers", "libc6")), graph.get("app").toString());
        List<String> entries = Tools.run(work, "tar", "-tzf", tgz.toString()).ok().out().lines().toList();
        assertTrue(entries.stream().allMatch(e -> e.startsWith("pigsty/")), entries.toString());
        assertTrue(entries.containsAll(List.of("pigsty/Packages", "pigsty/Packages.gz", "pigsty/Release", "pigsty/repo_complete")),
                entries.toString());

        // apt, in a sandbox with an empty dpkg status and only the extracted bundle as source.
        Path extracted = work.resolve("air-gapped/www");
        Files.createDirectories(extracted);
        Tools.run(work, "tar", "-xzf", tgz.toString(), "-C", extracted.toString()).ok();
        AptSandbox apt = new AptSandbox(work.resolve("apt"), extracted.resolve("pigsty"), "amd64");
        apt.apt("update").ok();
        List<String> install = new ArrayList<>(List.of("install", "-s", "pigsty-launcher"));
        install.addAll(AptFixture.REQUEST);
        String sim = apt.apt(install.toArray(String[]::new)).ok().out();
        String info = Tools.run(tree, "dpkg-deb", "-I", "pigsty-launcher_0.1.0-1_all.deb").ok().out();
        assertTrue(info.contains("Depends: openjdk-17-jre-headless | java17-runtime-headless"), info);
        for (String expect : List.of("Inst pigsty-launcher (0.1.0-1", "Inst openjdk-17-jre-headless (", "Inst libapp1 (1.5-1", "Inst tool (1:1.0-1", "Inst tilde (1.0-1", "Inst postfix (",
                "Inst httpd-b (", "Inst newclient (", "Inst python3 (3.11.2-1", "Inst init-helpers (", "Inst libc6 (2.36-9"))
            assertTrue(sim.contains(expect), expect + " not in apt's plan:\n" + sim);
        // --download-only makes apt fetch every file and check it against Size and SHA256 in Packages.
        List<String> download = new ArrayList<>(List.of("install", "--download-only"));
        download.addAll(AptFixture.REQUEST);
        apt.apt(download.toArray(String[]::new)).ok();
        try (Stream<Path> s = Files.list(apt.archives())) {
            assertTrue(s.filter(p -> p.toString().endsWith(".deb")).count() >= AptFixture.REQUEST.size());
        }
        // Only the closure: no Recommends, no loser of a choice, nothing for another arch.
        for (String absent : List.of("app-doc", "aaa-mta", "httpd-a", "oldclient", "pyshim", "_arm64.deb"))
            assertFalse(debs.stream().anyMatch(d -> d.startsWith(absent) || d.endsWith(absent)), absent + " in " + debs);
    }

    @Test
    void twoBuildsAreByteIdentical() throws Exception {
        Path a = tmp.resolve("repro-a"), b = tmp.resolve("repro-b");
        assertEquals(0, cli(offline(a)).code());
        assertEquals(0, cli(offline(b, "--threads", "1")).code());
        String name = "dist/v9.9.9/pigsty-pkg-v9.9.9.d12.x86_64.tgz";
        assertArrayEquals(Files.readAllBytes(a.resolve(name)), Files.readAllBytes(b.resolve(name)));
    }

    @Test
    void planJsonAndArm64() throws Exception {
        ElEndToEndTest.Cli c = cli(new String[] {"plan", "--os", "d12", "--home", home.toString(), "--cache",
                tmp.resolve("plan-cache").toString(), "--json"});
        assertEquals(0, c.code(), c.err());
        @SuppressWarnings("unchecked")
        Map<String, Object> lock = (Map<String, Object>) new Yaml().load(c.out());
        Map<String, Map<?, ?>> byName = new java.util.HashMap<>();
        for (Object o : (List<?>) lock.get("packages")) byName.put(String.valueOf(((Map<?, ?>) o).get("name")), (Map<?, ?>) o);
        assertEquals(1, byName.get("tool").get("epoch"));
        assertEquals("extra", byName.get("libapp1").get("repo"));
        assertTrue(((List<?>) lock.get("missing")).isEmpty());
        // arm64: the extra repo is x86_64-only, app needs libapp1-arm which nothing provides.
        c = cli(new String[] {"plan", "--os", "d12", "--arch", "aarch64", "--home", home.toString(), "--cache",
                tmp.resolve("plan-cache").toString(), "-e", "repo_packages=app,tool"});
        assertEquals(3, c.code(), c.err());
        assertTrue(c.err().contains("app → libapp1-arm: nothing provides it"), c.err());
    }

    @Test
    void recommendsOnlyWhenAsked() {
        ElEndToEndTest.Cli c = cli(new String[] {"plan", "--os", "d12", "--home", home.toString(), "--cache",
                tmp.resolve("rec-cache").toString(), "--with-recommends"});
        assertEquals(0, c.code(), c.err());
        assertTrue(c.out().contains("app-doc"), c.out());
    }

    /** A one-package update as a delta, applied by the launcher onto the old tree: the new full tree, file for file. */
    @Test
    void aDeltaOntoItsBaseGivesTheNewFullTree() throws Exception {
        Path work = tmp.resolve("delta"), old = work.resolve("old"), neu = work.resolve("new");
        assertEquals(0, cli(offline(old, "-e", "repo_packages=app tool")).code());
        Path oldTgz = old.resolve("dist/v9.9.9/pigsty-pkg-v9.9.9.d12.x86_64.tgz");
        ElEndToEndTest.Cli c = cli(offline(neu, "-e", "repo_packages=app tool tilde", "--since", old.resolve("www/pigsty/manifest.json").toString()));
        assertEquals(0, c.code(), c.err());
        Path delta = neu.resolve("dist/v9.9.9/pigsty-pkg-v9.9.9.d12.x86_64.delta-from-v9.9.9.tgz");
        List<String> debs = Tools.run(work, "tar", "-tzf", delta.toString()).ok().out().lines().filter(e -> e.endsWith(".deb")).toList();
        assertEquals(1, debs.size(), debs.toString());
        assertTrue(debs.get(0).startsWith("pigsty/tilde_"), debs.toString());
        Path root = work.resolve("root");
        Files.createDirectories(root.resolve("www"));
        Tools.run(work, "tar", "-xzf", oldTgz.toString(), "-C", root.resolve("www").toString()).ok();
        Files.writeString(root.resolve("inv.yml"), "all:\n  vars:\n    firstboot: { home: /opt/pigsty, packages: [], apply: '' }\n");
        Tools.Run done = Tools.run(work, List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "io.pigsty.launcher.Main", "apply", "--root", root.toString(), "--bundle", delta.toString(),
                "--inventory", "/inv.yml"), 300);
        assertEquals(0, done.code(), done.out());
        assertEquals(ElEndToEndTest.listing(neu.resolve("www/pigsty")), ElEndToEndTest.listing(root.resolve("www/pigsty")));
    }
}
