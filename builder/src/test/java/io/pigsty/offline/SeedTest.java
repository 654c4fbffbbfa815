package io.pigsty.offline;

import io.pigsty.offline.config.YamlFile;
import io.pigsty.offline.fixtures.DebianRoot;
import io.pigsty.offline.fixtures.Tools;
import io.pigsty.offline.model.Log;
import io.pigsty.offline.pack.Seeds;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static io.pigsty.offline.ElEndToEndTest.cli;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Seeds judged by cloud-init itself (schema, its network renderers), xorriso, isoinfo and blkid. */
class SeedTest {
    @TempDir
    static Path tmp;
    static final Path HOME = Path.of("..").toAbsolutePath().normalize();
    static final String INVENTORY = """
            all:
              children:
                infra: { hosts: { 10.10.10.10: { infra_seq: 1 } } }
                pg-meta:
                  hosts:
                    10.10.10.10: { pg_seq: 1, pg_role: primary }
                    10.10.10.11: { pg_seq: 2, pg_role: replica, nodename: meta-2, seed_interface: eth0 }
                  vars: { pg_cluster: pg-meta }
                pg-test:
                  hosts: { 10.10.10.12: { pg_seq: 1 }, 10.10.10.13: { pg_seq: 2, seed_network: dhcp } }
                  vars: { pg_cluster: pg-test }
              vars:
                admin_ip: 10.10.10.10
                seed_gateway: 10.10.10.1
                seed_prefix: 24
                node_dns_servers: [ '${admin_ip}' ]
                node_admin_pk_list: [ 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEXAMPLEKEYEXAMPLEKEYEXAMPLEKEYEXAMPLEKEY00 admin@pigsty' ]
            """;

    @BeforeAll
    static void tools() {
        Tools.require("xorriso", "isoinfo", "cloud-init", "blkid");
    }

    static ElEndToEndTest.Cli seed(String inventory, Path out) throws Exception {
        Path inv = out.resolveSibling(out.getFileName() + ".yml");
        Files.writeString(inv, inventory);
        return cli(new String[] {"seed", "-i", inv.toString(), "--home", HOME.toString(), "--out", out.toString()});
    }

    static Path extract(Path iso) {
        Path dir = iso.resolveSibling(iso.getFileName() + ".d");
        Tools.run(null, "xorriso", "-osirrox", "on", "-indev", iso.toString(), "-extract", "/", dir.toString()).ok();
        return dir;
    }

    @Test
    void oneValidSeedPerHost() throws Exception {
        Path out = tmp.resolve("seeds");
        ElEndToEndTest.Cli c = seed(INVENTORY, out);
        assertEquals(0, c.code(), c.err());
        assertEquals(List.of("10.10.10.10  infra-1", "10.10.10.11  meta-2", "10.10.10.12  pg-test-1", "10.10.10.13  pg-test-2"),
                c.out().lines().map(l -> l.substring(l.lastIndexOf('/') + 1).replace(".iso", "")).toList());
        for (String ip : List.of("10.10.10.10", "10.10.10.11", "10.10.10.12", "10.10.10.13")) {
            Path iso = out.resolve(ip + ".iso");
            assertTrue(Tools.run(null, "isoinfo", "-d", "-i", iso.toString()).ok().out().contains("Volume id: cidata"));
            assertTrue(Tools.run(null, "xorriso", "-indev", iso.toString(), "-toc").ok().out().contains("Volume id    : 'cidata'"));
            assertTrue(Tools.run(null, "blkid", iso.toString()).ok().out().contains("LABEL=\"cidata\""));
            Path d = extract(iso);
            Tools.run(null, "cloud-init", "schema", "--config-file", d.resolve("user-data").toString()).ok();
            String user = Files.readString(d.resolve("user-data")), meta = Files.readString(d.resolve("meta-data"));
            assertTrue(user.startsWith("#cloud-config\n"), user);
            assertTrue(meta.matches("(?s)instance-id: pigsty-[0-9a-f]{16}\nlocal-hostname: [a-z0-9-]+\n"), meta);
            // the inventory travels verbatim to the Pigsty home
            String b64 = user.lines().filter(l -> l.trim().startsWith("content: ")).findFirst().orElseThrow().trim().substring(9);
            assertEquals(INVENTORY, new String(Base64.getDecoder().decode(b64)));
            assertTrue(user.contains("path: /root/pigsty/pigsty.yml") && user.contains("name: dba") && user.contains("EXAMPLEKEY"), user);
            assertEquals(ip.equals("10.10.10.13"), !Files.exists(d.resolve("network-config")), ip + ": DHCP hosts get no network-config");
        }
        // cloud-init's own renderers read the network-config: a glob name for netplan and networkd,
        // a concrete one (eth0) for EL's sysconfig and ifupdown.
        Path glob = extract(out.resolve("10.10.10.12.iso")).resolve("network-config");
        Path eth0 = extract(out.resolve("10.10.10.11.iso")).resolve("network-config");
        for (String[] r : List.of(new String[] {"netplan", "debian", glob.toString()}, new String[] {"networkd", "debian", glob.toString()},
                new String[] {"sysconfig", "rhel", eth0.toString()}, new String[] {"eni", "debian", eth0.toString()})) {
            Path o = tmp.resolve("net-" + r[0]);
            Tools.run(null, "cloud-init", "devel", "net-convert", "-p", r[2], "-k", "yaml", "-d", o.toString(), "-D", r[1], "-O", r[0]).ok();
            String rendered = Tools.run(null, "sh", "-c", "cat $(find " + o + " -type f)").ok().out();
            assertTrue(rendered.contains("10.10.10.1"), r[0] + ": " + rendered);
        }
        assertTrue(Tools.run(null, "sh", "-c", "cat " + tmp.resolve("net-sysconfig") + "/etc/sysconfig/network-scripts/ifcfg-eth0").ok().out()
                .contains("IPADDR=10.10.10.11"));
    }

    /** {@code --trust KEYFILE}: every seed writes the key to /etc/pigsty/trusted.asc, and cloud-init's schema accepts it. */
    @Test
    void aTrustedKeyTravelsInEverySeed() throws Exception {
        Path keys = tmp.resolve("keys");
        assertEquals(0, cli(new String[] {"keygen", "--out", keys.toString(), "--home", HOME.toString()}).code());
        Path out = tmp.resolve("trusted-seeds");
        Path inv = tmp.resolve("trusted-seeds.yml");
        Files.writeString(inv, INVENTORY);
        ElEndToEndTest.Cli c = cli(new String[] {"seed", "-i", inv.toString(), "--home", HOME.toString(), "--out", out.toString(),
                "--trust", keys.resolve("pigsty-sign.asc").toString()});
        assertEquals(0, c.code(), c.err());
        Path d = extract(out.resolve("10.10.10.11.iso"));
        Tools.run(null, "cloud-init", "schema", "--config-file", d.resolve("user-data").toString()).ok();
        @SuppressWarnings("unchecked")
        Map<String, Object> user = (Map<String, Object>) new org.yaml.snakeyaml.Yaml().load(Files.readString(d.resolve("user-data")));
        Map<?, ?> key = ((List<?>) user.get("write_files")).stream().map(f -> (Map<?, ?>) f)
                .filter(f -> "/etc/pigsty/trusted.asc".equals(f.get("path"))).findFirst().orElseThrow();
        assertEquals(Files.readString(keys.resolve("pigsty-sign.asc")), key.get("content"));
        c = cli(new String[] {"seed", "-i", inv.toString(), "--home", HOME.toString(), "--out", out.toString(),
                "--trust", keys.resolve("pigsty-sign.key").toString()});
        assertEquals(2, c.code(), c.err());
        assertTrue(c.err().contains("not an armored OpenPGP public key"), c.err());
    }

    @Test
    void sameInventorySameBytes() throws Exception {
        assertEquals(0, seed(INVENTORY, tmp.resolve("a")).code());
        assertEquals(0, seed(INVENTORY, tmp.resolve("b")).code());
        for (String ip : List.of("10.10.10.10", "10.10.10.13"))
            assertArrayEquals(Files.readAllBytes(tmp.resolve("a/" + ip + ".iso")), Files.readAllBytes(tmp.resolve("b/" + ip + ".iso")));
        // and a different inventory gives different instance-ids
        assertEquals(0, seed(INVENTORY.replace("seed_prefix: 24", "seed_prefix: 16"), tmp.resolve("c")).code());
        assertFalse(Files.readString(extract(tmp.resolve("a/10.10.10.10.iso")).resolve("meta-data"))
                .equals(Files.readString(extract(tmp.resolve("c/10.10.10.10.iso")).resolve("meta-data"))));
    }

    @Test
    void badInventoriesAreExit2WithTheLine() throws Exception {
        ElEndToEndTest.Cli c = seed(INVENTORY.replace("10.10.10.12: { pg_seq: 1 }", "db-12: { pg_seq: 1 }"), tmp.resolve("badhost"));
        assertEquals(2, c.code(), c.err());
        assertTrue(c.err().contains("badhost.yml:10: host 'db-12' in group 'pg-test' is not an IPv4 address"), c.err());
        c = seed(INVENTORY.replace("10.10.10.11: { pg_seq: 2, pg_role: replica, nodename: meta-2, seed_interface: eth0 }",
                "10.10.10.11: { pg_seq: 2 }\n        10.10.10.11: { pg_seq: 3 }"), tmp.resolve("dup"));
        assertEquals(2, c.code(), c.err());
        assertTrue(c.err().contains("dup.yml:8: key '10.10.10.11' repeats the one at line 7"), c.err());
        c = seed(INVENTORY.replace("    seed_gateway: 10.10.10.1\n", ""), tmp.resolve("nogw"));
        assertEquals(2, c.code(), c.err());
        assertTrue(c.err().contains("nogw.yml:3: host 10.10.10.10 gets a static address but no gateway: set seed_gateway"), c.err());
    }

    /** The write_files entry of a seed's user-data at {@code path}. */
    @SuppressWarnings("unchecked")
    static Map<?, ?> written(Path userData, String path) throws Exception {
        Map<String, Object> user = (Map<String, Object>) new org.yaml.snakeyaml.Yaml().load(Files.readString(userData));
        return ((List<?>) user.get("write_files")).stream().map(f -> (Map<?, ?>) f).filter(f -> path.equals(f.get("path")))
                .findFirst().orElseThrow(() -> new AssertionError("no " + path + " in " + userData));
    }

    /**
     * Every seed carries the first-boot script as a per-boot script of cloud-init. Run in a real
     * Debian root with the os-release of each family, it looks for the repo disk of that OS (the label
     * build iso gives it), leaves a golden image to its unit, and does nothing once the first boot is done.
     */
    @Test
    void theFirstBootScriptLooksForTheRepoDiskOfItsOwnOs() throws Exception {
        Path out = tmp.resolve("script-seeds");
        assertEquals(0, seed(INVENTORY, out).code());
        Map<?, ?> f = written(extract(out.resolve("10.10.10.10.iso")).resolve("user-data"), "/var/lib/cloud/scripts/per-boot/pigsty-firstboot.sh");
        assertEquals("0755", f.get("permissions"));
        String script = (String) f.get("content");
        assertTrue(script.contains("--inventory \"/root/pigsty/pigsty.yml\""), script);
        StringBuilder why = new StringBuilder();
        assertTrue(DebianRoot.cached(why) != null, why.toString());
        Path root = DebianRoot.copy(tmp.resolve("script-root"));
        Files.writeString(root.resolve("tmp/first.sh"), script);
        Map<String, String> families = Map.of(
                "ID=rocky\nID_LIKE=\"rhel centos fedora\"\nVERSION_ID=\"9.4\"\nPRETTY_NAME=\"Rocky Linux 9.4\"\n", "pigsty-el9",
                "ID=almalinux\nID_LIKE=\"rhel centos fedora\"\nVERSION_ID=\"8.10\"\nPRETTY_NAME=\"AlmaLinux 8.10\"\n", "pigsty-el8",
                "ID=ubuntu\nID_LIKE=debian\nVERSION_ID=\"22.04\"\nPRETTY_NAME=\"Ubuntu 22.04.5 LTS\"\n", "pigsty-u22",
                "ID=debian\nVERSION_ID=\"13\"\nPRETTY_NAME=\"Debian GNU/Linux 13 (trixie)\"\n", "pigsty-d13");
        for (Map.Entry<String, String> e : families.entrySet()) {
            Files.delete(root.resolve("etc/os-release"));
            Files.writeString(root.resolve("etc/os-release"), e.getKey());
            Tools.Run r = DebianRoot.offline(root, "PIGSTY_REPO_DISK_WAIT=0 sh /tmp/first.sh");
            assertEquals(1, r.code(), r.out());
            assertTrue(r.out().contains("no /www/pigsty and no disk labelled " + e.getValue() + ": attach the repo ISO"), r.out());
        }
        Files.delete(root.resolve("etc/os-release"));
        Files.writeString(root.resolve("etc/os-release"), "ID=fedora\nVERSION_ID=41\nPRETTY_NAME=\"Fedora Linux 41\"\n");
        Tools.Run other = DebianRoot.offline(root, "PIGSTY_REPO_DISK_WAIT=0 sh /tmp/first.sh");
        assertEquals(1, other.code(), other.out());
        assertTrue(other.out().contains("FAILED: Fedora Linux 41 is not a Pigsty target"), other.out());
        // a golden image: the launcher and the repo are there, the unit applies
        Files.createDirectories(root.resolve("www/pigsty"));
        Files.writeString(root.resolve("www/pigsty/repo_complete"), "");
        Files.writeString(root.resolve("usr/local/bin/pigsty-launcher"), "#!/bin/sh\nexit 99\n");
        Tools.run(null, "chmod", "755", root.resolve("usr/local/bin/pigsty-launcher").toString()).ok();
        Tools.Run golden = DebianRoot.offline(root, "sh /tmp/first.sh");
        assertEquals(0, golden.code(), golden.out());
        assertTrue(golden.out().contains("pigsty-firstboot.service applies /root/pigsty/pigsty.yml"), golden.out());
        // done: silent
        Files.createDirectories(root.resolve("var/lib/pigsty"));
        Files.writeString(root.resolve("var/lib/pigsty/firstboot.done"), "done\n");
        Tools.run(null, "rm", "-rf", root.resolve("www").toString(), root.resolve("usr/local/bin/pigsty-launcher").toString()).ok();
        Tools.Run done = DebianRoot.offline(root, "sh /tmp/first.sh");
        assertEquals(0, done.code(), done.out());
        assertEquals("", done.out().trim());
    }

    /**
     * The preparation seed of build golden, for EL as for Debian: valid for cloud-init's schema, it
     * writes the inventory to the Pigsty home and the trusted key, runs the script with --prepare and
     * powers off; on an EL9 host the script looks for the pigsty-el9 repo disk.
     */
    @Test
    void theGoldenPreparationSeedIsValidAndFindsTheRepoDiskOnEl() throws Exception {
        Path inv = tmp.resolve("golden-el9.yml");
        Files.writeString(inv, INVENTORY);
        Path keys = tmp.resolve("golden-keys");
        assertEquals(0, cli(new String[] {"keygen", "--out", keys.toString(), "--home", HOME.toString()}).code());
        String key = Files.readString(keys.resolve("pigsty-sign.asc"));
        Path iso = tmp.resolve("prepare.iso");
        Seeds.prepare(HOME.resolve("overlays/seed"), HOME.resolve("overlays/golden"), YamlFile.load(inv, inv.toString(), Log.QUIET, true),
                Files.readAllBytes(inv), key, "pigsty-golden-0123456789abcdef", 0, iso);
        assertTrue(Tools.run(null, "blkid", iso.toString()).ok().out().contains("LABEL=\"cidata\""));
        Path d = extract(iso);
        Tools.run(null, "cloud-init", "schema", "--config-file", d.resolve("user-data").toString()).ok();
        assertEquals("instance-id: pigsty-golden-0123456789abcdef\nlocal-hostname: pigsty-golden\n", Files.readString(d.resolve("meta-data")));
        @SuppressWarnings("unchecked")
        Map<String, Object> user = (Map<String, Object>) new org.yaml.snakeyaml.Yaml().load(Files.readString(d.resolve("user-data")));
        assertEquals(List.of(List.of("sh", "/run/pigsty/pigsty-firstboot.sh", "--prepare")), user.get("runcmd"));
        assertEquals("poweroff", ((Map<?, ?>) user.get("power_state")).get("mode"));
        assertEquals(key, written(d.resolve("user-data"), "/etc/pigsty/trusted.asc").get("content"));
        assertEquals(INVENTORY, new String(Base64.getDecoder().decode((String) written(d.resolve("user-data"), "/root/pigsty/pigsty.yml").get("content"))));
        String script = (String) written(d.resolve("user-data"), "/run/pigsty/pigsty-firstboot.sh").get("content");
        StringBuilder why = new StringBuilder();
        assertTrue(DebianRoot.cached(why) != null, why.toString());
        Path root = DebianRoot.copy(tmp.resolve("prepare-root"));
        Files.writeString(root.resolve("tmp/prepare.sh"), script);
        Files.delete(root.resolve("etc/os-release"));
        Files.writeString(root.resolve("etc/os-release"), "ID=rocky\nID_LIKE=\"rhel centos fedora\"\nVERSION_ID=\"9.4\"\nPRETTY_NAME=\"Rocky Linux 9.4\"\n");
        // --prepare ignores what would make a host's first boot step aside: it always prepares
        Files.createDirectories(root.resolve("var/lib/pigsty"));
        Files.writeString(root.resolve("var/lib/pigsty/firstboot.done"), "done\n");
        Tools.Run r = DebianRoot.offline(root, "PIGSTY_REPO_DISK_WAIT=0 sh /tmp/prepare.sh --prepare");
        assertEquals(1, r.code(), r.out());
        assertTrue(r.out().contains("no disk labelled pigsty-el9"), r.out());
        // and build golden --os el9 needs its cloud image before any long work
        ElEndToEndTest.Cli c = cli(new String[] {"golden", "--os", "el9", "--home", HOME.toString(), "-i", inv.toString()});
        assertEquals(2, c.code(), c.err());
        assertTrue(c.err().contains("a golden image starts from a cloud image: give one with --base"), c.err());
    }
}
