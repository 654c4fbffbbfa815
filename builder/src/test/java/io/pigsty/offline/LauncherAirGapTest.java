package io.pigsty.offline;

import io.pigsty.offline.config.HostApt;
import io.pigsty.offline.fixtures.DebianRoot;
import io.pigsty.offline.fixtures.Live;
import io.pigsty.offline.fixtures.Tools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.pigsty.offline.ElEndToEndTest.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole loop on a real Debian 12 root: a d12 bundle built from the host's mirror with the
 * launcher and its Java runtime, asked for jq only: ansible comes because the first boot installs it
 * (node-bootstrap), which repo_packages does not name; then, inside the root with no network at all (unshare
 * --net + chroot), {@code sh /www/pigsty/firstboot.sh} installs the launcher, which verifies, wires
 * the local repo, installs ansible, places the inventory and the Pigsty source, and runs
 * ansible-playbook. A second run changes nothing; a tampered bundle changes nothing either.
 */
class LauncherAirGapTest {
    @TempDir
    static Path tmp;
    static Path tgz;
    static Path home;
    static Path inv;
    static Path pigstySrc;

    @BeforeAll
    static void bundle() throws Exception {
        Tools.require("unshare", "chroot", "tar", "sha256sum");
        StringBuilder why = new StringBuilder();
        Map<String, String[]> m = HostApt.mirrors(Path.of("/"), "debian");
        Live.skipLoudlyUnless(m.containsKey("debian_mirror"), "the build host has no Debian apt sources");
        Live.skipLoudlyUnless(Live.reachable(m.get("debian_mirror")[0] + "dists/bookworm/InRelease"),
                "the host's Debian mirror cannot be reached");
        Live.skipLoudlyUnless(DebianRoot.cached(why) != null, why.toString());

        Path src = tmp.resolve("src/pigsty");
        Files.createDirectories(src);
        Files.writeString(src.resolve("site.yml"), """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - name: prove the inventory was applied
                      copy:
                        dest: /root/pigsty-applied.txt
                        content: "applied to {{ inventory_hostname }} with admin_ip {{ admin_ip }}\\n"
                """);
        pigstySrc = tmp.resolve("pigsty-v9.9.9.tgz");
        Tools.run(tmp, "tar", "-czf", pigstySrc.toString(), "-C", tmp.resolve("src").toString(), "pigsty").ok();
        inv = tmp.resolve("pigsty.yml");
        Files.writeString(inv, """
                all:
                  children:
                    infra: { hosts: { 10.10.10.10: { infra_seq: 1 } } }
                  vars:
                    version: v9.9.9
                    admin_ip: 10.10.10.10
                    repo_modules: node
                    repo_packages: [ jq ]
                    repo_extra_packages: []
                    package_map:
                      node-bootstrap: "ansible python3-jmespath"
                """ + Live.D12_REPO_UPSTREAM + """
                    firstboot:
                      home: /root/pigsty
                      apply: "ansible-playbook -i pigsty.yml -c local site.yml"
                """);
        home = Path.of("..").toAbsolutePath().normalize();
        tgz = build("");
    }

    /** Builds the d12 bundle into dist{@code suffix}/ with {@code more} options; returns the tarball. */
    static Path build(String suffix, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("offline", "--os", "d12", "--home", home.toString(), "-i", inv.toString(),
                "--pigsty-src", pigstySrc.toString(), "--cache", tmp.resolve("cache").toString(),
                "--repo-dir", tmp.resolve("www" + suffix + "/pigsty").toString(), "--dist", tmp.resolve("dist" + suffix).toString(), "-q"));
        args.addAll(List.of(more));
        ElEndToEndTest.Cli c = cli(args.toArray(String[]::new));
        assertEquals(0, c.code(), c.err());
        return tmp.resolve("dist" + suffix + "/v9.9.9/pigsty-pkg-v9.9.9.d12.x86_64.tgz");
    }

    /** A fresh copy of the Debian root with the bundle extracted at /www, as a user would do it. */
    static Path rootWithBundle(String name) {
        return rootWithBundle(name, tgz);
    }

    static Path rootWithBundle(String name, Path bundle) {
        Path root = DebianRoot.copy(tmp.resolve(name));
        Tools.run(null, "mkdir", "-p", root.resolve("www").toString()).ok();
        Tools.run(null, "tar", "-xzf", bundle.toString(), "-C", root.resolve("www").toString()).ok();
        return root;
    }

    static List<String> listing(Path dir) throws java.io.IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    static long debs(Path bundle) {
        return Tools.run(null, "tar", "-tzf", bundle.toString()).ok().out().lines().filter(l -> l.endsWith(".deb")).count();
    }

    /**
     * Built for the minbase host only ({@code --baseline} its dpkg status, {@code --only-baselines}),
     * the bundle leaves out what the host has and still applies there with no network.
     */
    @Test
    void aBundleForTheMinbaseHostIsSmallerAndAppliesThere() throws Exception {
        Path fitted = build("-minbase", "--baseline", DebianRoot.CACHED.resolve("var/lib/dpkg/status").toString(), "--only-baselines");
        long own = debs(fitted), full = debs(tgz);
        assertTrue(own < full, own + " packages for the minbase host, " + full + " for an empty root");
        Path root = rootWithBundle("minbase", fitted);
        Tools.Run first = DebianRoot.offline(root, "sh /www/pigsty/firstboot.sh");
        assertEquals(0, first.code(), first.out());
        assertEquals("applied to 10.10.10.10 with admin_ip 10.10.10.10\n", Files.readString(root.resolve("root/pigsty-applied.txt")));
        String status = Files.readString(root.resolve("var/lib/dpkg/status"));
        assertTrue(status.contains("Package: ansible\nStatus: install ok installed"), "ansible is not installed");
        System.out.printf("minbase bundle: %d packages, empty-root bundle: %d%n", own, full);
    }

    /**
     * Pigsty's own node-bootstrap names sow, which is in Pigsty's repo, not Debian's: a bundle from
     * Debian alone could not apply itself, so the plan stops (exit 3) naming it and why it is needed.
     */
    @Test
    void aFirstBootListTheReposCannotMeetStopsThePlan() throws Exception {
        Path inv2 = tmp.resolve("no-map.yml");
        Files.writeString(inv2, Files.readString(inv).replace("    package_map:\n      node-bootstrap: \"ansible python3-jmespath\"\n", ""));
        ElEndToEndTest.Cli c = cli(new String[] {"plan", "--os", "d12", "--home", home.toString(), "-i", inv2.toString(),
                "--cache", tmp.resolve("cache").toString()});
        assertEquals(3, c.code(), c.err());
        assertTrue(c.err().contains("sow: no package matches it") && c.err().contains("the first boot installs it: alias node-bootstrap"), c.err());
    }

    @Test
    void firstBootAppliesTheInventoryWithNoNetworkAndIsIdempotent() throws Exception {
        Path root = rootWithBundle("root");
        Tools.Run first = DebianRoot.offline(root, "sh /www/pigsty/firstboot.sh");
        assertEquals(0, first.code(), first.out());

        // The playbook ran against the inventory that was placed in the Pigsty home.
        assertEquals("applied to 10.10.10.10 with admin_ip 10.10.10.10\n", Files.readString(root.resolve("root/pigsty-applied.txt")));
        assertEquals(Files.readString(tmp.resolve("pigsty.yml")), Files.readString(root.resolve("root/pigsty/pigsty.yml")));
        assertTrue(Files.isRegularFile(root.resolve("root/pigsty/site.yml")), "the Pigsty source was not extracted");

        // Every step is done in the journal.
        @SuppressWarnings("unchecked")
        Map<String, Map<String, String>> steps = (Map<String, Map<String, String>>) ((Map<String, Object>) new Yaml()
                .load(Files.readString(root.resolve("var/lib/pigsty/firstboot.json")))).get("steps");
        assertEquals(List.of("locate", "verify", "extract", "wire", "install", "place", "apply"), List.copyOf(steps.keySet()));
        steps.forEach((k, v) -> assertEquals("done", v.get("status"), k + ": " + v));
        assertTrue(Files.exists(root.resolve("var/lib/pigsty/firstboot.done")));

        // Packages came from /www/pigsty: it is the only apt source, the others were moved to backup/.
        try (Stream<Path> s = Files.list(root.resolve("etc/apt/sources.list.d"))) {
            assertEquals(List.of("pigsty-local.list"), s.map(p -> p.getFileName().toString()).toList());
        }
        assertEquals("deb [trusted=yes] file:/www/pigsty/ ./\n", Files.readString(root.resolve("etc/apt/sources.list.d/pigsty-local.list")));
        assertTrue(Files.exists(root.resolve("etc/apt/backup/sources.list")));
        try (Stream<Path> s = Files.list(root.resolve("var/lib/apt/lists"))) {
            List<String> lists = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith("Packages")).toList();
            assertTrue(!lists.isEmpty() && lists.stream().allMatch(n -> n.startsWith("_www_pigsty_")), lists.toString());
        }
        String status = Files.readString(root.resolve("var/lib/dpkg/status"));
        for (String pkg : List.of("Package: ansible\n", "Package: pigsty-launcher\n", "Package: openjdk-17-jre-headless\n"))
            assertTrue(status.contains(pkg + "Status: install ok installed"), pkg);

        // A second run changes nothing at all.
        String before = DebianRoot.snapshot(root, "proc");
        Tools.Run second = DebianRoot.offline(root, "sh /www/pigsty/firstboot.sh");
        assertEquals(0, second.code(), second.out());
        assertTrue(second.out().contains("apply: done earlier"), second.out());
        assertEquals(before, DebianRoot.snapshot(root, "proc"));

        // The launcher's own verify refuses a package changed after the fact, and changes nothing.
        Path deb;
        try (Stream<Path> s = Files.list(root.resolve("www/pigsty"))) {
            deb = s.filter(p -> p.getFileName().toString().startsWith("ansible_")).findFirst().orElseThrow();
        }
        try (FileChannel ch = FileChannel.open(deb, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {42}), 4096);
        }
        before = DebianRoot.snapshot(root, "proc");
        Tools.Run verify = DebianRoot.offline(root, "pigsty-launcher verify --bundle /www/pigsty");
        assertEquals(4, verify.code(), verify.out());
        assertTrue(verify.out().contains("does not match its repo_complete sha256"), verify.out());
        assertEquals(before, DebianRoot.snapshot(root, "proc"));

        // systemd accepts the first-boot unit (its ExecStart must exist, as installed in the root).
        Path unit = root.resolve("usr/lib/systemd/system/pigsty-firstboot.service");
        Path bin = Path.of("/usr/bin/pigsty-launcher");
        boolean placed = !Files.exists(bin);
        try {
            if (placed) Files.createSymbolicLink(bin, root.resolve("usr/bin/pigsty-launcher"));
            Tools.Run sa = Tools.run(null, "systemd-analyze", "verify", unit.toString());
            assertEquals(0, sa.code(), sa.out());
        } finally {
            if (placed) Files.deleteIfExists(bin);
        }
    }

    /**
     * A bundle signed with a key from {@code build keygen}, on a host that trusts that key
     * (/etc/pigsty/trusted.asc, as a golden image or seed puts it): firstboot.sh checks the
     * signature with the host's gpgv, apt checks the index with the shipped key (signed-by, no
     * trusted=yes), and everything applies with no network. A host trusting another key refuses
     * the same bundle and stays untouched.
     */
    @Test
    void aSignedBundleIsCheckedByTheHostsGpgvAndApt() throws Exception {
        Path keys = tmp.resolve("keys"), other = tmp.resolve("other-keys");
        for (Path d : List.of(keys, other)) {
            ElEndToEndTest.Cli k = cli(new String[] {"keygen", "--out", d.toString(), "--home", home.toString()});
            assertEquals(0, k.code(), k.err());
            assertTrue(k.out().contains("fingerprint "), k.out());
        }
        Path signed = build("-signed", "--sign-key", keys.resolve("pigsty-sign.key").toString());
        assertTrue(Files.isRegularFile(Path.of(signed + ".asc")));
        // real gpg, with only the public key imported, accepts the tarball's and the tree's signatures
        Path gh = Files.createDirectories(tmp.resolve("gpghome"));
        Files.setPosixFilePermissions(gh, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Tools.run(tmp, "gpg", "--homedir", gh.toString(), "--batch", "--import", keys.resolve("pigsty-sign.asc").toString()).ok();
        Tools.run(tmp, "gpg", "--homedir", gh.toString(), "--batch", "--verify", signed + ".asc", signed.toString()).ok();
        Path tree = tmp.resolve("www-signed/pigsty");
        for (String[] sig : new String[][] {{"repo_complete.asc", "repo_complete"}, {"Release.gpg", "Release"}, {"InRelease"}}) {
            List<String> v = new java.util.ArrayList<>(List.of("gpg", "--homedir", gh.toString(), "--batch", "--verify"));
            for (String f : sig) v.add(tree.resolve(f).toString());
            Tools.run(tmp, v, 60).ok();
        }

        Path stranger = rootWithBundle("signed-stranger", signed);
        Files.createDirectories(stranger.resolve("etc/pigsty"));
        Files.copy(other.resolve("pigsty-sign.asc"), stranger.resolve("etc/pigsty/trusted.asc"));
        // the check's temporary keyring is removed again: only /tmp's own time changes
        String before = DebianRoot.snapshot(stranger, "proc", "www", "tmp");
        List<String> tmpBefore = listing(stranger.resolve("tmp"));
        Tools.Run refused = DebianRoot.offline(stranger, "sh /www/pigsty/firstboot.sh");
        assertEquals(4, refused.code(), refused.out());
        assertTrue(refused.out().contains("is not signed by the trusted key"), refused.out());
        assertEquals(before, DebianRoot.snapshot(stranger, "proc", "www", "tmp"));
        assertEquals(tmpBefore, listing(stranger.resolve("tmp")));

        Path root = rootWithBundle("signed", signed);
        Files.createDirectories(root.resolve("etc/pigsty"));
        Files.copy(keys.resolve("pigsty-sign.asc"), root.resolve("etc/pigsty/trusted.asc"));
        Tools.Run first = DebianRoot.offline(root, "sh /www/pigsty/firstboot.sh");
        assertEquals(0, first.code(), first.out());
        assertTrue(first.out().contains("signature: good, by the trusted key"), first.out());
        assertEquals("deb [signed-by=/www/pigsty/keys/pigsty-bundle.asc] file:/www/pigsty/ ./\n",
                Files.readString(root.resolve("etc/apt/sources.list.d/pigsty-local.list")));
        try (Stream<Path> s = Files.list(root.resolve("var/lib/apt/lists"))) {
            assertTrue(s.anyMatch(p -> p.getFileName().toString().endsWith("_InRelease")), "apt read the signed InRelease");
        }
        assertEquals("applied to 10.10.10.10 with admin_ip 10.10.10.10\n", Files.readString(root.resolve("root/pigsty-applied.txt")));
    }

    @Test
    void aTamperedBundleIsRefusedAndTheRootIsUntouched() throws Exception {
        Path root = rootWithBundle("tampered");
        Path deb;
        try (Stream<Path> s = Files.list(root.resolve("www/pigsty"))) {
            deb = s.filter(p -> p.getFileName().toString().endsWith(".deb")).sorted().findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(deb);
        bytes[bytes.length / 2] ^= 1;
        Files.write(deb, bytes);
        String before = DebianRoot.snapshot(root, "proc", "www");
        Tools.Run r = DebianRoot.offline(root, "sh /www/pigsty/firstboot.sh");
        assertEquals(4, r.code(), r.out());
        assertTrue(r.out().contains("refusing this bundle"), r.out());
        assertEquals(before, DebianRoot.snapshot(root, "proc", "www"));
    }
}
