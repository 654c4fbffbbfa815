package io.pigsty.offline;

import io.pigsty.offline.config.HostApt;
import io.pigsty.offline.fixtures.AptSandbox;
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
 * written here): jq and curl for d12 with the shipped recipe, checked by apt in a sandbox. Skipped,
 * loudly, when the host is not Debian or its mirror cannot be reached.
 */
class DebLiveTest {
    @TempDir
    Path tmp;

    @Test
    void jqAndCurlFromTheHostMirror() throws Exception {
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
                      - { name: base,     module: node, releases: [12], baseurl: { default: '${debian_mirror} ${distro_codename} main' }, keyring: /usr/share/keyrings/debian-archive-keyring.gpg }
                      - { name: updates,  module: node, releases: [12], baseurl: { default: '${debian_mirror} ${distro_codename}-updates main' }, keyring: /usr/share/keyrings/debian-archive-keyring.gpg }
                      - { name: security, module: node, releases: [12], baseurl: { default: '${debian_security_mirror} ${distro_codename}-security main' }, keyring: /usr/share/keyrings/debian-archive-keyring.gpg }
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
    }
}
