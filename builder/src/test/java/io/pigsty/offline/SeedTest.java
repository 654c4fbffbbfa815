package io.pigsty.offline;

import io.pigsty.offline.fixtures.Tools;
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
}
