package io.pigsty.offline;

import io.pigsty.offline.config.HostApt;
import io.pigsty.offline.fixtures.Live;
import io.pigsty.offline.fixtures.Tools;
import io.pigsty.offline.fixtures.Vm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.pigsty.offline.ElEndToEndTest.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Golden images booted for real: a signed d12 bundle (jq, the launcher and its Java runtime) from the
 * host's mirror, {@code build all} making its repo ISO, the host's seed and a golden image from a Debian 12
 * cloud-shaped disk; then VMs under qemu (TCG, {@code -nic none}) boot the golden image with the seed,
 * the stock image with the seed and the repo ISO, and the stock image with a tampered ISO. What each
 * did is read from its disk afterwards.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GoldenVmTest {
    @TempDir
    static Path tmp;
    static Path inv, dist, golden, seed, iso, www, base;
    static String inventory;

    @BeforeAll
    static void build() throws Exception {
        Tools.require("qemu-system-x86_64", "qemu-img", "partx", "sfdisk", "mount", "umount", "df", "xorriso", "sha256sum");
        Map<String, String[]> m = HostApt.mirrors(Path.of("/"), "debian");
        Live.skipLoudlyUnless(m.containsKey("debian_mirror"), "the build host has no Debian apt sources");
        Live.skipLoudlyUnless(Live.reachable(m.get("debian_mirror")[0] + "dists/bookworm/InRelease"), "the host's Debian mirror cannot be reached");
        Path home = Path.of("..").toAbsolutePath().normalize();
        base = Vm.cloudImage(home);
        inv = tmp.resolve("pigsty.yml");
        inventory = """
                all:
                  children:
                    infra: { hosts: { 10.10.10.10: { infra_seq: 1 } } }
                  vars:
                    version: v9.9.9
                    admin_ip: 10.10.10.10
                    pg_cluster: pg-golden
                    seed_gateway: 10.10.10.1
                    seed_interface: eth0
                    node_dns_servers: [ 10.10.10.53 ]
                    repo_modules: node
                    repo_packages: [ jq ]
                    repo_extra_packages: []
                    package_map:
                      node-bootstrap: "jq"
                """ + Live.D12_REPO_UPSTREAM + """
                    firstboot:
                      home: /root/pigsty
                      apply: "grep -h '^ *pg_[c]luster:' pigsty.yml > /root/pigsty-applied.txt && hostname >> /root/pigsty-applied.txt"
                """;
        Files.writeString(inv, inventory);
        dist = tmp.resolve("dist");
        www = tmp.resolve("www/pigsty");
        // a signed build: its golden image and its seeds carry the public key, and every boot checks the signature first
        Path keys = tmp.resolve("keys");
        assertEquals(0, cli("keygen", "--out", keys.toString(), "--home", home.toString()).code());
        long t0 = System.nanoTime();
        ElEndToEndTest.Cli c = cli("all", "--sign-key", keys.resolve("pigsty-sign.key").toString(), "--os", "d12", "--home", home.toString(), "-i", inv.toString(), "--cache", tmp.resolve("cache").toString(),
                "--repo-dir", www.toString(), "--dist", dist.toString(), "--artifacts", "iso,seed,golden",
                "--base", base.toString(), "--vm-accel", "tcg", "--size", "+1G", "--format", "qcow2,raw");
        assertEquals(0, c.code(), c.err());
        System.out.printf("build all with a golden image: %.0f s%n", (System.nanoTime() - t0) / 1e9);
        Path v = dist.resolve("v9.9.9");
        golden = v.resolve("pigsty-golden-v9.9.9.d12.x86_64.qcow2");
        seed = v.resolve("seed/10.10.10.10.iso");
        iso = v.resolve("pigsty-repo-v9.9.9.d12.x86_64.iso");
        // the summary table has the golden image's row, with the sha256 its .sha256 file and sha256sum agree on
        String sha = Tools.run(v, "sha256sum", "-c", golden.getFileName() + ".sha256").ok().out();
        assertTrue(sha.contains(": OK"), sha);
        String digest = Files.readString(v.resolve(golden.getFileName() + ".sha256")).substring(0, 64);
        assertTrue(c.out().lines().anyMatch(l -> l.startsWith("golden ") && l.contains(digest) && l.contains(golden.toString())), c.out());
        assertTrue(c.err().contains("vm: [5/7] install: installed jq from the local repo"), "the VM's progress is shown: " + c.err());
        assertTrue(c.err().contains("vm: signature: good, by the trusted key /etc/pigsty/trusted.asc"),
                "the preparation checked the bundle's signature with the key the build baked in: " + c.err());
        // qemu-img's own judgement of what was written
        String info = Tools.run(null, "qemu-img", "info", golden.toString()).ok().out();
        assertTrue(info.contains("file format: qcow2") && !info.contains("backing file"), info);
        assertEquals(virtualSize(base) + (1L << 30), virtualSize(golden), "--size +1G grows the disk");
        // the raw image of the same preparation: its own row and .sha256, and the same disk as the qcow2, as qemu-img compares them
        Path raw = v.resolve("pigsty-golden-v9.9.9.d12.x86_64.raw");
        assertTrue(Tools.run(v, "sha256sum", "-c", raw.getFileName() + ".sha256").ok().out().contains(": OK"));
        assertTrue(c.out().lines().anyMatch(l -> l.startsWith("golden ") && l.contains(raw.toString())), c.out());
        assertTrue(Tools.run(null, "qemu-img", "info", raw.toString()).ok().out().contains("file format: raw"));
        assertTrue(Tools.run(null, "qemu-img", "compare", golden.toString(), raw.toString()).ok().out().contains("Images are identical"));
    }

    static long virtualSize(Path image) {
        String json = Tools.run(null, "qemu-img", "info", "--output=json", image.toString()).ok().out();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"virtual-size\":\\s*(\\d+)").matcher(json);
        assertTrue(m.find(), json);
        return Long.parseLong(m.group(1));
    }

    /** What a first boot left on a disk, read from it after the VM powered off. */
    record Host(String hostname, String network, String journal, String applied, String placed, String dpkg, boolean repo, long fsBytes,
                String sources) {}

    static Host read(Path disk, String name) throws Exception {
        Path mnt = Vm.mount(disk, tmp.resolve(name + "-mnt"));
        try {
            Path net = mnt.resolve("etc/network/interfaces.d/50-cloud-init");
            Path journal = mnt.resolve("var/lib/pigsty/firstboot.json"), applied = mnt.resolve("root/pigsty-applied.txt");
            Path placed = mnt.resolve("root/pigsty/pigsty.yml"), sources = mnt.resolve("etc/apt/sources.list.d/pigsty-local.list");
            boolean repo = Files.isRegularFile(mnt.resolve("www/pigsty/repo_complete"));
            if (repo) assertEquals(0, Tools.run(mnt.resolve("www/pigsty"), "sha256sum", "--quiet", "--strict", "-c", "repo_complete").code());
            long fs = Long.parseLong(Tools.run(null, "df", "-B1", "--output=size", mnt.toString()).ok().out().lines().skip(1).findFirst().orElseThrow().trim());
            return new Host(Files.readString(mnt.resolve("etc/hostname")).trim(), Files.exists(net) ? Files.readString(net) : "",
                    Files.exists(journal) ? Files.readString(journal) : "", Files.exists(applied) ? Files.readString(applied) : "",
                    Files.exists(placed) ? Files.readString(placed) : "", Files.readString(mnt.resolve("var/lib/dpkg/status")), repo, fs,
                    Files.exists(sources) ? Files.readString(sources) : "");
        } finally {
            Vm.unmount(mnt);
        }
    }

    /** The seed's hostname and static address, all seven steps done, the inventory's command run with its values. */
    static void assertApplied(Host h, String console) {
        assertEquals("infra-1", h.hostname(), console);
        assertTrue(h.network().contains("iface eth0 inet static") && h.network().contains("address 10.10.10.10/24") && h.network().contains("default gw 10.10.10.1")
                && h.network().contains("10.10.10.53"), h.network());
        for (String step : List.of("locate", "verify", "extract", "wire", "install", "place", "apply"))
            assertTrue(h.journal().matches("(?s).*\"" + step + "\"\\s*:\\s*\\{[^}]*\"status\"\\s*:\\s*\"done\".*"), step + " not done: " + h.journal());
        assertEquals("    pg_cluster: pg-golden\ninfra-1\n", h.applied(), console);
        assertEquals(inventory, h.placed());
        assertTrue(h.repo(), "no verified /www/pigsty");
        assertTrue(h.dpkg().contains("Package: pigsty-launcher\nStatus: install ok installed"), "the launcher is installed");
        assertTrue(h.dpkg().contains("Package: jq\nStatus: install ok installed"), "the bootstrap package is installed");
        // apt checks the local repo's InRelease itself, with the key the bundle ships
        assertEquals("deb [signed-by=/www/pigsty/keys/pigsty-bundle.asc] file:/www/pigsty/ ./\n", h.sources());
    }

    @Test
    @Order(1)
    void theGoldenImageAppliesItsSeedOnceAndASecondBootChangesNothing() throws Exception {
        Path disk = Vm.overlay(golden, tmp.resolve("golden-host.qcow2"));
        Path log = tmp.resolve("golden-boot1.log");
        long t0 = System.nanoTime();
        try (Vm vm = Vm.boot(disk, log, List.of(seed))) {
            assertTrue(vm.await(s -> s.contains("first boot complete") || failed(s), 900), "no first boot within 15 min: " + tail(vm.console()));
            String console = vm.console();
            assertFalse(failed(console), tail(console));
            // the unit ran after cloud-init was done: the seed's script had its say before the launcher's first step
            assertTrue(console.indexOf("pigsty-firstboot.service applies") < console.indexOf("[1/7]"), tail(console));
            assertTrue(console.contains("DataSourceNoCloud"), "cloud-init found the seed");
            assertTrue(vm.powerOff(180), "the VM did not shut down on the power button");
        }
        System.out.printf("golden image first boot: %.0f s%n", (System.nanoTime() - t0) / 1e9);
        Host first = read(disk, "golden1");
        assertApplied(first, Files.readString(log));
        assertTrue(first.fsBytes() > (3L << 30) + (1L << 29), "cloud-init grew the root file system into the +1G: " + first.fsBytes());

        Path log2 = tmp.resolve("golden-boot2.log");
        try (Vm vm = Vm.boot(disk, log2, List.of(seed))) {
            assertTrue(vm.await(s -> s.contains("Cloud-init v.") && s.contains(" finished at "), 600), "second boot: " + tail(vm.console()));
            Thread.sleep(5000); // time for a unit that should not start
            assertFalse(vm.console().contains("[1/7]"), "the first boot ran again: " + tail(vm.console()));
            assertTrue(vm.powerOff(180));
        }
        Host second = read(disk, "golden2");
        assertEquals(first, second, "a second boot changed what the first one did");
    }

    /** A first boot whose apply fails says so on the console and keeps its journal; the next boot retries and finishes. */
    @Test
    @Order(2)
    void aFailedApplyIsRetriedOnTheNextBoot() throws Exception {
        Path inv2 = tmp.resolve("retry.yml");
        Files.writeString(inv2, inventory.replace("apply: \"grep", "apply: \"if [ ! -f /root/tried ]; then touch /root/tried; echo the site is not ready; exit 3; fi; grep"));
        Path seeds = tmp.resolve("retry-seeds");
        ElEndToEndTest.Cli c = cli("seed", "-i", inv2.toString(), "--home", Path.of("..").toAbsolutePath().normalize().toString(), "--out", seeds.toString());
        assertEquals(0, c.code(), c.err());
        Path disk = Vm.overlay(golden, tmp.resolve("retry-host.qcow2"));
        try (Vm vm = Vm.boot(disk, tmp.resolve("retry-boot1.log"), List.of(seeds.resolve("10.10.10.10.iso")))) {
            assertTrue(vm.await(s -> s.contains("the next boot retries") || s.contains("first boot complete"), 900), tail(vm.console()));
            String console = vm.console();
            assertTrue(console.contains("[7/7] apply: FAILED: "), tail(console));
            assertTrue(console.contains("pigsty-firstboot: apply FAILED; journal /var/lib/pigsty/firstboot.json"), tail(console));
            assertTrue(vm.powerOff(180));
        }
        Host failed = read(disk, "retry1");
        assertTrue(failed.journal().matches("(?s).*\"apply\"\\s*:\\s*\\{[^}]*\"status\"\\s*:\\s*\"failed\".*"), failed.journal());
        try (Vm vm = Vm.boot(disk, tmp.resolve("retry-boot2.log"), List.of(seeds.resolve("10.10.10.10.iso")))) {
            assertTrue(vm.await(s -> s.contains("first boot complete") || failed(s), 900), tail(vm.console()));
            assertTrue(vm.console().contains("[6/7] place: done earlier"), tail(vm.console()));
            assertTrue(vm.powerOff(180));
        }
        Host retried = read(disk, "retry2");
        assertEquals("    pg_cluster: pg-golden\ninfra-1\n", retried.applied());
        assertFalse(retried.journal().contains("\"failed\""), retried.journal());
    }

    @Test
    @Order(3)
    void aStockImageInstallsFromTheRepoIsoWithNoNetwork() throws Exception {
        Path disk = Vm.overlay(base, tmp.resolve("stock-host.qcow2"));
        Path log = tmp.resolve("stock-boot.log");
        long t0 = System.nanoTime();
        try (Vm vm = Vm.boot(disk, log, List.of(seed, iso))) {
            assertTrue(vm.await(s -> s.contains("first boot complete") || failed(s), 900), "no first boot within 15 min: " + tail(vm.console()));
            assertFalse(failed(vm.console()), tail(vm.console()));
            assertTrue(vm.console().contains("pigsty: repo disk pigsty-d12 mounted"), tail(vm.console()));
            assertTrue(vm.console().contains("signature: good, by the trusted key /etc/pigsty/trusted.asc"), "the seed's key checked the ISO: " + tail(vm.console()));
            assertTrue(vm.powerOff(180));
        }
        System.out.printf("stock image first boot from the repo ISO: %.0f s%n", (System.nanoTime() - t0) / 1e9);
        assertApplied(read(disk, "stock"), Files.readString(log));
    }

    @Test
    @Order(4)
    void aTamperedRepoIsoIsRefusedBeforeAnythingIsInstalled() throws Exception {
        Path tree = tmp.resolve("bad/pigsty");
        Tools.run(null, "mkdir", "-p", tree.getParent().toString()).ok();
        Tools.run(null, "cp", "-a", www.toString(), tree.getParent().toString()).ok();
        Path victim;
        try (var s = Files.list(tree)) {
            victim = s.filter(p -> p.getFileName().toString().startsWith("jq_")).findFirst().orElseThrow();
        }
        byte[] b = Files.readAllBytes(victim);
        b[b.length / 2] ^= 1;
        Files.write(victim, b);
        Path bad = tmp.resolve("bad.iso");
        Tools.run(null, "xorriso", "-as", "mkisofs", "-quiet", "-r", "-V", "pigsty-d12", "-o", bad.toString(), tree.getParent().toString()).ok();
        Path disk = Vm.overlay(base, tmp.resolve("tampered-host.qcow2"));
        Path log = tmp.resolve("tampered-boot.log");
        try (Vm vm = Vm.boot(disk, log, List.of(seed, bad))) {
            assertTrue(vm.await(s -> s.contains("the next boot retries") || s.contains("first boot complete"), 600), tail(vm.console()));
            String console = vm.console();
            assertTrue(console.contains("does not match its repo_complete: refusing this bundle"), tail(console));
            assertTrue(console.contains(victim.getFileName() + ": FAILED"), "the console names the damaged file: " + tail(console));
            assertTrue(vm.powerOff(180));
        }
        Host h = read(disk, "tampered");
        assertFalse(h.repo(), "a refused bundle was copied to /www/pigsty");
        assertFalse(h.dpkg().contains("Package: pigsty-launcher\n"), "the launcher was installed from a refused bundle");
        assertFalse(h.dpkg().contains("Package: openjdk-17-jre-headless\n"), "Java was installed from a refused bundle");
        assertEquals("", h.journal());
    }

    /**
     * A file that is no disk is refused at once (exit 2); a disk that never boots to its preparation
     * (a partition table, nothing to boot) is stopped at --vm-timeout: exit 1, the console's path and
     * tail, no image.
     */
    @Test
    @Order(5)
    void aPreparationThatNeverEndsIsStoppedAtTheTimeout() throws Exception {
        Path blank = tmp.resolve("blank.raw");
        Tools.run(null, "truncate", "-s", "64M", blank.toString()).ok();
        Path home = Path.of("..").toAbsolutePath().normalize(), out = tmp.resolve("timeout-dist");
        ElEndToEndTest.Cli none = cli("golden", "--os", "d12", "--home", home.toString(), "-i", inv.toString(), "--cache", tmp.resolve("cache").toString(),
                "--repo-dir", tmp.resolve("timeout-www/pigsty").toString(), "--dist", out.toString(), "--base", blank.toString());
        assertEquals(2, none.code(), none.err());
        assertTrue(none.err().contains("neither a qcow2 (or other qemu-img format) image nor a raw disk with a partition table"), none.err());
        Tools.run(null, List.of("sh", "-c", "echo 'start=2048, type=83' | sfdisk -q " + blank), 60).ok();
        long t0 = System.nanoTime();
        ElEndToEndTest.Cli c = cli("golden", "--os", "d12", "--home", home.toString(), "-i", inv.toString(), "--cache", tmp.resolve("cache").toString(),
                "--repo-dir", tmp.resolve("timeout-www/pigsty").toString(), "--dist", out.toString(), "--base", blank.toString(),
                "--vm-accel", "tcg", "--vm-timeout", "1");
        double took = (System.nanoTime() - t0) / 1e9;
        assertEquals(1, c.code(), c.err());
        assertTrue(c.err().contains("the preparation VM did not power off within 1 min (raise --vm-timeout); the end of its console ("), c.err());
        assertTrue(took < 150, "stopped at the timeout, not later: " + took + " s");
        assertFalse(Files.exists(out.resolve("v9.9.9/pigsty-golden-v9.9.9.d12.x86_64.qcow2")), "no image is left from a failed preparation");
    }

    /**
     * What our side prints when a first boot fails (the script, the unit, a launcher step). Not
     * systemd's own "[FAILED]": with no NIC at all, ifupdown fails to raise the seed's static address.
     */
    private static boolean failed(String console) {
        return console.contains("pigsty: FAILED") || console.contains("apply FAILED") || console.matches("(?s).*\\[[0-9]/7] [a-z]+: (FAILED|REFUSED).*");
    }

    private static String tail(String console) {
        return console.substring(Math.max(0, console.length() - 3000));
    }
}
