package io.pigsty.offline;

import io.pigsty.offline.fixtures.FileServer;
import io.pigsty.offline.fixtures.Tools;
import io.pigsty.offline.fixtures.YumFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.pigsty.offline.ElEndToEndTest.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Images, repo ISOs and `build all`, judged by skopeo, umoci, a real registry on 127.0.0.1
 * (Debian's docker-registry), xorriso, isoinfo and sha256sum.
 */
class ArtifactsTest {
    @TempDir
    static Path tmp;
    static FileServer server;
    static Path home;

    @BeforeAll
    static void fixture() throws Exception {
        Tools.require("skopeo", "umoci", "xorriso", "isoinfo", "docker-registry");
        YumFixture.create(tmp.resolve("upstream"));
        server = new FileServer(tmp.resolve("upstream"));
        home = YumFixture.home(tmp.resolve("home"), server.url(""), List.of("app", "tool", "nginx", "postgresql18*"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static ElEndToEndTest.Cli build(String cmd, Path work, String... extra) {
        List<String> a = new ArrayList<>(List.of(cmd, "--os", "el9", "--home", home.toString(), "--cache", tmp.resolve("cache").toString(),
                "--repo-dir", work.resolve("www/pigsty").toString(), "--dist", work.resolve("dist").toString(), "-q"));
        a.addAll(List.of(extra));
        return cli(a.toArray(String[]::new));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> inspect(String ref) {
        return (Map<String, Object>) new Yaml().load(Tools.run(null, "skopeo", "inspect", "--tls-verify=false", ref).ok().out());
    }

    @Test
    void ociImageUnpacksToAVerifiedRepoAndItsDigestIsReproducible() throws Exception {
        Path work = tmp.resolve("oci");
        ElEndToEndTest.Cli c = build("image", work, "--format", "oci");
        assertEquals(0, c.code(), c.err());
        Path tar = Path.of(c.out().trim());
        Map<String, Object> info = inspect("oci-archive:" + tar);
        assertEquals("amd64", info.get("Architecture"));
        Map<?, ?> labels = (Map<?, ?>) info.get("Labels");
        assertEquals("v9.9.9", labels.get("org.opencontainers.image.version"));
        assertEquals("el9", labels.get("io.pigsty.os"));
        assertTrue(String.valueOf(labels.get("io.pigsty.repo.base")).startsWith("http://127.0.0.1:"), labels.toString());
        assertEquals(Checksum(work.resolve("www/pigsty/manifest.json")), labels.get("io.pigsty.manifest.sha256"));
        List<?> layers = (List<?>) info.get("Layers");
        assertTrue(layers.size() >= 8, "packages split into several layers: " + layers.size());
        // umoci unpacks a rootfs whose /www/pigsty passes its own repo_complete
        Tools.run(null, "skopeo", "copy", "oci-archive:" + tar, "oci:" + tmp.resolve("layout") + ":repo").ok();
        Tools.run(null, "umoci", "unpack", "--image", tmp.resolve("layout") + ":repo", tmp.resolve("bundle").toString()).ok();
        Path repo = tmp.resolve("bundle/rootfs/www/pigsty");
        Tools.run(repo, "sha256sum", "--strict", "-c", "repo_complete").ok();
        assertTrue(Files.isRegularFile(tmp.resolve("bundle/rootfs/usr/lib/pigsty-launcher/pigsty-launcher.jar")));
        // same tree, fresh caches: same digest
        Path again = tmp.resolve("oci2");
        ElEndToEndTest.Cli c2 = cli(new String[] {"image", "--os", "el9", "--home", home.toString(), "--cache", tmp.resolve("cache2").toString(),
                "--repo-dir", again.resolve("www/pigsty").toString(), "--dist", again.resolve("dist").toString(), "-q", "--format", "oci"});
        assertEquals(0, c2.code(), c2.err());
        assertEquals(info.get("Digest"), inspect("oci-archive:" + c2.out().trim()).get("Digest"));
    }

    static String Checksum(Path p) throws IOException {
        return io.pigsty.offline.model.Checksum.sha256Of(p);
    }

    @Test
    void dockerArchiveIsReadBySkopeo() {
        Path work = tmp.resolve("docker");
        ElEndToEndTest.Cli c = build("image", work, "--format", "docker");
        assertEquals(0, c.code(), c.err());
        Map<String, Object> info = inspect("docker-archive:" + c.out().trim());
        assertEquals("linux", info.get("Os"));
        assertTrue(((List<?>) info.get("Layers")).size() >= 8);
    }

    @Test
    void aDockerSaveTarServesAsBase() {
        Path base = tmp.resolve("base");
        ElEndToEndTest.Cli c = build("image", base, "--format", "docker", "--tag", "pigsty/base:1");
        assertEquals(0, c.code(), c.err());
        int baseLayers = ((List<?>) inspect("docker-archive:" + c.out().trim()).get("Layers")).size();
        Path work = tmp.resolve("onbase");
        ElEndToEndTest.Cli on = build("image", work, "--format", "oci", "--base", c.out().trim());
        assertEquals(0, on.code(), on.err());
        Map<String, Object> info = inspect("oci-archive:" + on.out().trim());
        assertTrue(((List<?>) info.get("Layers")).size() > baseLayers, info.toString());
    }

    @Test
    void pushToARegistryThenRepushOnlyTheChangedLayers() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path storage = tmp.resolve("registry-data");
        Path config = tmp.resolve("registry.yml");
        Files.writeString(config, """
                version: 0.1
                log: { level: warn }
                storage: { filesystem: { rootdirectory: %s }, delete: { enabled: true } }
                http: { addr: 127.0.0.1:%d }
                """.formatted(storage, port));
        Process registry = new ProcessBuilder("docker-registry", "serve", config.toString()).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("registry.log").toFile()).start();
        try {
            waitForPort(port);
            String ref = "127.0.0.1:" + port + "/pigsty/repo:el9";
            Path work = tmp.resolve("push");
            ElEndToEndTest.Cli c = build("image", work, "--push", ref);
            assertEquals(0, c.code(), c.err());
            String digest = c.out().trim().substring(c.out().trim().indexOf('@') + 1);
            Map<String, Object> info = inspect("docker://" + ref);
            assertEquals(digest, info.get("Digest"));
            int layers = ((List<?>) info.get("Layers")).size();
            long blobsBefore = blobs(storage);

            // one more package: only its layer and the small repo layer (index, manifest) change
            Path inv = tmp.resolve("one-more.yml");
            Files.writeString(inv, "all:\n  children: { infra: { hosts: { 10.10.10.10: {} } } }\n  vars:\n    repo_packages: [ fixture-set, webserver-a ]\n");
            c = build("image", work, "--push", ref, "-i", inv.toString());
            assertEquals(0, c.code(), c.err());
            long uploaded = blobs(storage) - blobsBefore;
            // new layers + the new config + the new manifest; the other layers were already there
            assertTrue(uploaded <= 5 && uploaded >= 3, "uploaded " + uploaded + " blobs of " + layers + " layers");
            System.out.println("registry push: " + layers + " layers, second push uploaded " + (uploaded - 2) + " layers");
            assertEquals(c.out().trim().substring(c.out().trim().indexOf('@') + 1), inspect("docker://" + ref).get("Digest"));
        } finally {
            registry.destroy();
            registry.waitFor(10, TimeUnit.SECONDS);
        }
    }

    static long blobs(Path storage) throws IOException {
        Path dir = storage.resolve("docker/registry/v2/blobs/sha256");
        if (!Files.exists(dir)) return 0;
        try (Stream<Path> s = Files.walk(dir, 2)) {
            return s.filter(p -> dir.relativize(p).getNameCount() == 2).count();
        }
    }

    static void waitForPort(int port) throws Exception {
        for (int i = 0; i < 100; i++) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("the registry did not start: " + Files.readString(tmp.resolve("registry.log")));
    }

    @Test
    void repoIsoListsFullNamesAndReadsBackVerified() throws Exception {
        Path work = tmp.resolve("iso");
        ElEndToEndTest.Cli c = build("iso", work);
        assertEquals(0, c.code(), c.err());
        Path iso = Path.of(c.out().trim());
        assertTrue(iso.getFileName().toString().equals("pigsty-repo-v9.9.9.el9.x86_64.iso"), iso.toString());
        assertTrue(Tools.run(null, "isoinfo", "-d", "-i", iso.toString()).ok().out().contains("Volume id: pigsty-el9"));
        String listing = Tools.run(null, "xorriso", "-indev", iso.toString(), "-find", "/pigsty", "-type", "f").ok().out();
        assertTrue(listing.contains("'/pigsty/postgresql18-server-18.1-1.x86_64.rpm'") && listing.contains("'/pigsty/repodata/repomd.xml'"), listing);
        Path out = tmp.resolve("iso-read");
        Tools.run(null, "xorriso", "-osirrox", "on", "-indev", iso.toString(), "-extract", "/", out.toString()).ok();
        Tools.run(out.resolve("pigsty"), "sha256sum", "--strict", "-c", "repo_complete").ok();
        // the launcher takes a mounted repo ISO (here read back into a directory) as its bundle
        Path jar = Path.of("target/classes/launcher/pigsty-launcher.jar");
        Tools.Run v = Tools.run(null, List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(),
                "verify", "--bundle", out.toString()), 120);
        assertEquals(0, v.code(), v.out());
        assertTrue(v.out().contains("pigsty-pkg-v9.9.9.el9.x86_64 verified"), v.out());
    }

    @Test
    void allMakesEveryArtifactFromOneTree() throws Exception {
        Path inv = tmp.resolve("all.yml");
        Files.writeString(inv, """
                all:
                  children:
                    pg-meta: { hosts: { 10.10.10.10: { pg_seq: 1 } }, vars: { pg_cluster: pg-meta } }
                  vars:
                    seed_gateway: 10.10.10.1
                """);
        Path work = tmp.resolve("all");
        ElEndToEndTest.Cli c = build("all", work, "-i", inv.toString(), "--host", "10.10.10.10", "--format", "oci");
        assertEquals(0, c.code(), c.err());
        List<String> rows = c.out().lines().toList();
        assertTrue(rows.get(0).startsWith("ARTIFACT"), c.out());
        for (String kind : List.of("tarball", "iso", "image", "seed"))
            assertTrue(rows.stream().anyMatch(r -> r.startsWith(kind) && r.matches(".*\\b([0-9a-f]{64}|sha256:[0-9a-f]{64})\\b.*")),
                    kind + " missing from:\n" + c.out());
        assertTrue(Files.exists(work.resolve("dist/v9.9.9/seed/10.10.10.10.iso")));
        Tools.run(work.resolve("dist/v9.9.9"), "sha256sum", "-c", "pigsty-pkg-v9.9.9.el9.x86_64.tgz.sha256").ok();
    }
}
