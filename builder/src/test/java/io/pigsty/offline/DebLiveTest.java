package io.pigsty.offline;

import io.pigsty.offline.config.HostApt;
import io.pigsty.offline.fixtures.AptSandbox;
import io.pigsty.offline.fixtures.FileServer;
import io.pigsty.offline.fixtures.Live;
import io.pigsty.offline.fixtures.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static io.pigsty.offline.ElEndToEndTest.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real closure from the build host's own Debian mirror (read from /etc/apt at run time, never
 * written here): jq and curl for d12 from repo_upstream entries in Pigsty's own schema (no keyring:
 * the Release is checked with the keys apt would trust), checked by apt in a sandbox; and the same
 * entry served a forged InRelease is refused. Skipped, loudly, when the host is not Debian or its
 * mirror cannot be reached (a failure in CI).
 */
class DebLiveTest {
    @TempDir
    Path tmp;

    @Test
    void jqAndCurlFromTheHostMirror() throws Exception {
        Tools.require("curl");
        Map<String, String[]> mirrors = HostApt.mirrors(Path.of("/"), "debian");
        String mirror = mirrors.containsKey("debian_mirror") ? mirrors.get("debian_mirror")[0] : null;
        Live.skipLoudlyUnless(mirror != null, "this build host has no Debian apt sources to take a mirror from");
        Live.skipLoudlyUnless(Live.reachable(mirror + "dists/bookworm/InRelease"), "the host's Debian mirror cannot be reached");
        Path inv = tmp.resolve("live.yml");
        Files.writeString(inv, """
                all:
                  children: { infra: { hosts: { 10.10.10.10: {} } } }
                  vars:
                    repo_modules: node
                    repo_packages: [ 'jq curl' ]
                    repo_extra_packages: []
                    repo_upstream:
                      - { name: base     ,description: 'Debian Basic'    ,module: node ,releases: [11,12,13] ,arch: [x86_64, aarch64] ,baseurl: { default: '${debian_mirror}/ ${distro_codename} main non-free-firmware' }}
                      - { name: updates  ,description: 'Debian Updates'  ,module: node ,releases: [11,12,13] ,arch: [x86_64, aarch64] ,baseurl: { default: '${debian_mirror}/ ${distro_codename}-updates main non-free-firmware' }}
                      - { name: security ,description: 'Debian Security' ,module: node ,releases: [11,12,13] ,arch: [x86_64, aarch64] ,baseurl: { default: '${debian_security_mirror}/ ${distro_codename}-security main non-free-firmware' }}
                """);
        Path home = Path.of("..").toAbsolutePath().normalize();
        ElEndToEndTest.Cli c = cli(new String[] {"offline", "--os", "d12", "--home", home.toString(), "-i", inv.toString(),
                "--cache", tmp.resolve("cache").toString(), "--repo-dir", tmp.resolve("www/pigsty").toString(),
                "--dist", tmp.resolve("dist").toString(), "--no-launcher"});
        assertEquals(0, c.code(), c.err());
        Path tree = tmp.resolve("www/pigsty");
        Tools.run(tree, "sha256sum", "--strict", "-c", "repo_complete").ok();
        AptSandbox apt = new AptSandbox(tmp.resolve("apt"), tree, "amd64");
        apt.apt("update").ok();
        String sim = apt.apt("install", "-s", "jq", "curl").ok().out();
        assertTrue(sim.contains("Inst jq ") && sim.contains("Inst curl ") && sim.contains("Inst libc6 "), sim);
        apt.apt("install", "--download-only", "jq", "curl").ok();
        System.out.println("live d12 closure: " + Files.readAllLines(tree.resolve("repo_complete")).size() + " packages");

        // The same schema, served a forged InRelease (the mirror's own, one signed line changed): refused, exit 4.
        String real = Tools.run(tmp, "curl", "-fsS", mirror + "dists/bookworm/InRelease").ok().out();
        assertTrue(real.contains("\nLabel: Debian\n"), "unexpected InRelease");
        Path forged = tmp.resolve("forged/debian/dists/bookworm");
        Files.createDirectories(forged);
        Files.writeString(forged.resolve("InRelease"), real.replace("\nLabel: Debian\n", "\nLabel: Debi4n\n"));
        try (FileServer server = new FileServer(tmp.resolve("forged"))) {
            Path bad = tmp.resolve("forged.yml");
            Files.writeString(bad, """
                    all:
                      children: { infra: { hosts: { 10.10.10.10: {} } } }
                      vars:
                        repo_modules: node
                        repo_packages: [ jq ]
                        repo_upstream:
                          - { name: base, module: node, releases: [12], arch: [x86_64], baseurl: { default: '%sdebian/ ${distro_codename} main' }}
                    """.formatted(server.url("")));
            c = cli(new String[] {"plan", "--os", "d12", "--home", home.toString(), "-i", bad.toString(),
                    "--cache", tmp.resolve("cache2").toString(), "--no-launcher", "--retries", "1"});
            assertEquals(4, c.code(), c.err());
            assertTrue(c.err().contains("Release signature does not verify") && c.err().contains("BAD signature"), c.err());
        }
    }
}
