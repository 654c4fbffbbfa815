package io.pigsty.launcher;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The launcher on a scratch root, with bundles packed by the real tar. */
class LauncherTest {
    @TempDir
    Path tmp;
    Path root, tree;
    ByteArrayOutputStream out;

    static String sha(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    /** A minimal deb bundle tree: two "packages", repo_complete, a manifest naming an inventory. */
    @BeforeEach
    void bundle() throws Exception {
        root = tmp.resolve("root");
        Files.createDirectories(root.resolve("etc/apt/sources.list.d"));
        Files.writeString(root.resolve("etc/apt/sources.list"), "deb http://mirror.invalid/debian bookworm main\n");
        Files.writeString(root.resolve("etc/apt/sources.list.d/other.sources"), "Types: deb\n");
        tree = tmp.resolve("build/pigsty");
        Files.createDirectories(tree.resolve("inventory"));
        byte[] a = "package a".getBytes(), b = "package b".getBytes();
        Files.write(tree.resolve("a_1.0_amd64.deb"), a);
        Files.write(tree.resolve("b_1.0_all.deb"), b);
        // no apply command: this scratch root has no shell to run one in (the air-gapped test runs a real one)
        String inv = "all:\n  vars:\n    firstboot: { home: /opt/pigsty, packages: [], apply: '' }\n";
        Files.writeString(tree.resolve("inventory/pigsty.yml"), inv);
        Files.writeString(tree.resolve("manifest.json"), """
                {"name": "pigsty-pkg-v1.d12.x86_64", "target": {"os": "d12", "family": "deb"},
                 "files": [{"path": "inventory/pigsty.yml", "sha256": "%s"}], "bootstrap": []}
                """.formatted(sha(inv.getBytes())));
        complete(tree);
        out = new ByteArrayOutputStream();
    }

    /** Writes repo_complete as the builder does: a sha256sum line for every file of the tree but itself. */
    static void complete(Path tree) throws Exception {
        StringBuilder b = new StringBuilder();
        try (java.util.stream.Stream<Path> s = Files.walk(tree)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                String rel = tree.relativize(p).toString();
                if (!rel.equals("repo_complete")) b.append(sha(Files.readAllBytes(p))).append("  ").append(rel).append('\n');
            }
        }
        Files.writeString(tree.resolve("repo_complete"), b.toString());
    }

    int launcher(String... args) {
        out.reset();
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--root";
        all[args.length + 1] = root.toString();
        return Main.run(all, new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    String said() {
        return out.toString(StandardCharsets.UTF_8);
    }

    Path tgz(String name) throws Exception {
        Path t = tmp.resolve(name);
        run("tar", "-czf", t.toString(), "-C", tree.getParent().toString(), "pigsty");
        return t;
    }

    static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + s);
        return s;
    }

    @Test
    void appliesATarballFromGnuTarAndIsIdempotent() throws Exception {
        Path tgz = tgz("pkg.tgz");
        assertEquals(0, launcher("apply", "--bundle", tgz.toString()), said());
        assertTrue(said().contains("extract: 5 files extracted to /www/pigsty"), said());
        assertEquals("package a", Files.readString(root.resolve("www/pigsty/a_1.0_amd64.deb")));
        assertEquals("deb [trusted=yes] file:/www/pigsty/ ./\n", Files.readString(root.resolve("etc/apt/sources.list.d/pigsty-local.list")));
        assertTrue(Files.exists(root.resolve("etc/apt/backup/sources.list")) && Files.exists(root.resolve("etc/apt/backup/sources.list.d/other.sources")));
        assertFalse(Files.exists(root.resolve("etc/apt/sources.list.d/other.sources")));
        assertTrue(Files.isRegularFile(root.resolve("opt/pigsty/pigsty.yml")));
        assertTrue(said().contains("install: no bootstrap packages to install"), said());
        String journal = Files.readString(root.resolve("var/lib/pigsty/firstboot.json"));
        // The journal is JSON: python's json module accepts it.
        Path j = tmp.resolve("journal.json");
        Files.writeString(j, journal);
        assertTrue(run("python3", "-c", "import json,sys; d=json.load(open(sys.argv[1])); "
                + "assert all(s['status']=='done' for s in d['steps'].values()), d; print(len(d['steps']))", j.toString()).trim().equals("7"));
        assertEquals(0, launcher("apply", "--bundle", tgz.toString()));
        assertTrue(said().lines().filter(l -> l.contains("done earlier")).count() == 7, said());
        assertEquals(0, launcher("status"), said());
    }

    /**
     * prepare (an image build) stops after install; the first boot then finds those steps done, and
     * applies the inventory a seed put in the home rather than the bundle's: the home's is the host's.
     */
    @Test
    void prepareStopsBeforeThePerHostStepsAndTheHomesInventoryWins() throws Exception {
        Path tgz = tgz("prepare.tgz");
        assertEquals(0, launcher("prepare", "--bundle", tgz.toString()), said());
        assertTrue(said().contains("[5/7] install: ") && !said().contains("[6/7]"), said());
        assertTrue(said().contains("prepared up to install"), said());
        assertFalse(Files.exists(root.resolve("opt/pigsty/pigsty.yml")), "prepare placed the inventory");
        assertFalse(Files.exists(root.resolve("var/lib/pigsty/firstboot.done")));
        // the host's seed writes its own inventory to the home, then the unit runs apply with no options
        String seeded = "all:\n  vars:\n    firstboot: { home: /opt/pigsty, packages: [], apply: '' }\n    pg_cluster: pg-seeded\n";
        Files.createDirectories(root.resolve("opt/pigsty"));
        Files.writeString(root.resolve("opt/pigsty/pigsty.yml"), seeded);
        assertEquals(0, launcher("apply"), said());
        assertEquals(5, said().lines().filter(l -> l.contains("done earlier")).count(), said());
        assertTrue(said().contains("[6/7] place: inventory already in place at"), said());
        assertEquals(seeded, Files.readString(root.resolve("opt/pigsty/pigsty.yml")));
        assertTrue(Files.exists(root.resolve("var/lib/pigsty/firstboot.done")));
    }

    @Test
    void zstdBundlesAndSha256FilesAreChecked() throws Exception {
        Path zst = tmp.resolve("pkg.tar.zst");
        run("tar", "--zstd", "-cf", zst.toString(), "-C", tree.getParent().toString(), "pigsty");
        assertEquals(0, launcher("verify", "--bundle", zst.toString()), said());
        // a relative path is taken from the current directory, as a user typing it means
        String relative = Path.of("").toAbsolutePath().relativize(zst).toString();
        assertFalse(Path.of(relative).isAbsolute());
        assertEquals(0, launcher("verify", "--bundle", relative), said());
        Path tgz = tgz("pkg2.tgz");
        Files.writeString(tmp.resolve("pkg2.tgz.sha256"), "0".repeat(64) + "  pkg2.tgz\n");
        assertEquals(Launcher.Exit.INVALID.code, launcher("verify", "--bundle", tgz.toString()), said());
        assertTrue(said().contains("does not match"), said());
    }

    @Test
    void tamperedOrIncompleteBundlesAreRefusedBeforeAnythingChanges() throws Exception {
        Files.writeString(tree.resolve("b_1.0_all.deb"), "package B");
        Path tgz = tgz("bad.tgz");
        assertEquals(Launcher.Exit.INVALID.code, launcher("apply", "--bundle", tgz.toString()), said());
        assertTrue(said().contains("verify: REFUSED") && said().contains("b_1.0_all.deb does not match"), said());
        assertFalse(Files.exists(root.resolve("www")));
        assertFalse(Files.exists(root.resolve("etc/apt/sources.list.d/pigsty-local.list")));
        Files.writeString(tree.resolve("b_1.0_all.deb"), "package b");
        Files.writeString(tree.resolve("extra_1.0_all.deb"), "unlisted");
        assertEquals(Launcher.Exit.INVALID.code, launcher("verify", "--bundle", tgz("unlisted.tgz").toString()), said());
        assertTrue(said().contains("extra_1.0_all.deb is not listed in repo_complete"), said());
    }

    /**
     * An EL bundle whose every RPM verified by its own signature lists the keys that check them: the
     * repo is wired with gpgcheck=1 and those keys (as firstboot.sh wires it), and a list naming
     * anything but a key file of the bundle is refused before anything changes.
     */
    @Test
    void anElBundleThatListsRpmKeysIsWiredWithGpgcheck() throws Exception {
        Files.writeString(tree.resolve("manifest.json"), Files.readString(tree.resolve("manifest.json"))
                .replace("\"os\": \"d12\", \"family\": \"deb\"", "\"os\": \"el9\", \"family\": \"rpm\""));
        Files.createDirectories(tree.resolve("keys"));
        Files.writeString(tree.resolve("keys/pigsty-bundle.asc"), "bundle key\n");
        Files.writeString(tree.resolve("keys/rpm-0123456789ABCDEF.asc"), "vendor key\n");
        Files.writeString(tree.resolve("keys/rpm-gpgkeys"), "keys/pigsty-bundle.asc\nkeys/rpm-0123456789ABCDEF.asc\n");
        complete(tree);
        assertEquals(0, launcher("apply", "--bundle", tgz("el.tgz").toString()), said());
        assertEquals("[pigsty-local]\nname=Pigsty local repo\nbaseurl=file:///www/pigsty/\nenabled=1\ngpgcheck=1\nrepo_gpgcheck=1\n"
                + "gpgkey=file:///www/pigsty/keys/pigsty-bundle.asc file:///www/pigsty/keys/rpm-0123456789ABCDEF.asc\nmodule_hotfixes=1\n",
                Files.readString(root.resolve("etc/yum.repos.d/pigsty-local.repo")));
        assertTrue(said().contains("2 key(s) check every package's own signature"), said());

        for (String bad : List.of("keys/../manifest.json", "/etc/passwd", "keys/missing.asc")) {
            Files.writeString(tree.resolve("keys/rpm-gpgkeys"), "keys/pigsty-bundle.asc\n" + bad + "\n");
            complete(tree);
            Path other = tmp.resolve("root-" + bad.hashCode());
            assertEquals(Launcher.Exit.INVALID.code, Main.run(new String[] {"apply", "--bundle", tgz("bad.tgz").toString(), "--root",
                    other.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8)), said());
            assertTrue(said().contains("names '" + bad + "', which is no key file of the bundle"), said());
            assertFalse(Files.exists(other.resolve("www")), bad);
            out.reset();
        }
        // no list (some RPM could not be checked): gpgcheck off, the index still checked
        Files.delete(tree.resolve("keys/rpm-gpgkeys"));
        complete(tree);
        Path plain = tmp.resolve("root-plain");
        assertEquals(0, Main.run(new String[] {"apply", "--bundle", tgz("plain.tgz").toString(), "--root", plain.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8)), said());
        assertEquals("[pigsty-local]\nname=Pigsty local repo\nbaseurl=file:///www/pigsty/\nenabled=1\ngpgcheck=0\nrepo_gpgcheck=1\n"
                + "gpgkey=file:///www/pigsty/keys/pigsty-bundle.asc\nmodule_hotfixes=1\n", Files.readString(plain.resolve("etc/yum.repos.d/pigsty-local.repo")));
    }

    @Test
    void anExistingValidRepoIsOnlyReplacedWithForce() throws Exception {
        assertEquals(0, launcher("apply", "--bundle", tgz("one.tgz").toString()), said());
        Files.writeString(tree.resolve("manifest.json"), Files.readString(tree.resolve("manifest.json"))
                .replace("pigsty-pkg-v1", "pigsty-pkg-v2"));
        complete(tree);
        Path two = tgz("two.tgz");
        Files.delete(root.resolve("var/lib/pigsty/firstboot.json")); // a new first boot
        assertEquals(Launcher.Exit.FAILED.code, launcher("apply", "--bundle", two.toString()), said());
        assertTrue(said().contains("already holds another valid bundle (pigsty-pkg-v1.d12.x86_64); pass --force"), said());
        assertEquals(0, launcher("apply", "--bundle", two.toString(), "--force"), said());
        assertTrue(Files.readString(root.resolve("www/pigsty/manifest.json")).contains("pigsty-pkg-v2"));
    }

    @Test
    void replaceIpPutsThisHostsAddressInPlaceOfThePlaceholder() throws Exception {
        String inv = "all:\n  children: { infra: { hosts: { 10.10.10.10: {} } } }\n  vars:\n    admin_ip: 10.10.10.10\n"
                + "    firstboot: { home: /opt/pigsty, packages: [], apply: '' }\n";
        Files.writeString(tree.resolve("inventory/pigsty.yml"), inv);
        Files.writeString(tree.resolve("manifest.json"), Files.readString(tree.resolve("manifest.json"))
                .replaceAll("\"sha256\": \"[0-9a-f]{64}\"", "\"sha256\": \"" + sha(inv.getBytes()) + "\""));
        complete(tree);
        assertEquals(0, launcher("apply", "--bundle", tgz("ip.tgz").toString(), "--replace-ip"), said());
        String ip = Launcher.primaryIp();
        String placed = Files.readString(root.resolve("opt/pigsty/pigsty.yml"));
        if (ip == null) {
            assertTrue(said().contains("no primary IPv4 found") && placed.equals(inv), said());
        } else {
            assertEquals(inv.replace("10.10.10.10", ip), placed);
            assertTrue(said().contains("admin IP 10.10.10.10 -> " + ip), said());
        }
    }

    @Test
    void aSeedsInventoryInTheHomeIsAppliedWhenNamed() throws Exception {
        Files.delete(tree.resolve("inventory/pigsty.yml")); // a bundle without inventory, as on a golden image
        Files.writeString(tree.resolve("manifest.json"), Files.readString(tree.resolve("manifest.json"))
                .replaceAll("\"files\": \\[[^\\]]*\\]", "\"files\": []"));
        complete(tree);
        Path seeded = root.resolve("srv/pg/pigsty.yml");
        Files.createDirectories(seeded.getParent());
        Files.writeString(seeded, "all:\n  vars:\n    firstboot: { home: /srv/pg, packages: [], apply: '' }\n");
        assertEquals(0, launcher("apply", "--bundle", tgz("seeded.tgz").toString(), "--inventory", "/srv/pg/pigsty.yml"), said());
        assertTrue(said().contains("place: inventory already in place at"), said());
        assertTrue(said().contains("apply: skipped: firstboot.apply is empty"), said());
    }

    /** Nothing unlisted is ever read or run: an inventory slipped in, a cut tar, a FIFO, a broken header. */
    @Test
    void whatTheBundleDoesNotListIsRefusedBeforeAnythingChanges() throws Exception {
        // an inventory added after the build (so in neither repo_complete nor the manifest)
        Files.writeString(tree.resolve("inventory/evil.yml"), "all: { vars: { firstboot: { apply: 'rm -rf /' } } }\n");
        assertEquals(Launcher.Exit.INVALID.code, launcher("apply", "--bundle", tgz("evil.tgz").toString()), said());
        assertTrue(said().contains("inventory/evil.yml is not listed in repo_complete"), said());
        assertFalse(Files.exists(root.resolve("www")));
        Files.delete(tree.resolve("inventory/evil.yml"));

        // a plain tar cut before its last files: what repo_complete lists is missing
        Path whole = tmp.resolve("whole.tar");
        run("tar", "-cf", whole.toString(), "-C", tree.getParent().toString(), "pigsty/repo_complete", "pigsty/manifest.json",
                "pigsty/a_1.0_amd64.deb", "pigsty/b_1.0_all.deb", "pigsty/inventory/pigsty.yml");
        byte[] all = Files.readAllBytes(whole);
        Path cut = tmp.resolve("cut.tar");
        Files.write(cut, java.util.Arrays.copyOf(all, 512 * 8));
        assertEquals(Launcher.Exit.INVALID.code, launcher("verify", "--bundle", cut.toString()), said());
        assertTrue(said().contains("is listed in repo_complete but missing") || said().contains("malformed archive"), said());

        // a pax header whose size is not a number: exit 4 with a message, no stack trace
        Path paxTar = tmp.resolve("pax.tar");
        run("tar", "--format=pax", "--pax-option=comment:=x", "-cf", paxTar.toString(), "-C", tree.getParent().toString(), "pigsty");
        byte[] p = Files.readAllBytes(paxTar);
        int at = new String(p, StandardCharsets.ISO_8859_1).indexOf("comment=x");
        assertTrue(at > 0, "no pax record to break");
        System.arraycopy("size=NaNx".getBytes(StandardCharsets.US_ASCII), 0, p, at, 9); // same length: the record stays well-formed
        Path brokenTar = tmp.resolve("broken.tar");
        Files.write(brokenTar, p);
        assertEquals(Launcher.Exit.INVALID.code, launcher("verify", "--bundle", brokenTar.toString()), said());
        assertTrue(said().contains("malformed archive"), said());
        assertFalse(said().contains("\tat ") || said().contains("Exception in"), said());

        // a FIFO inside a directory bundle (a mounted ISO): refused, not read forever
        Path dir = tmp.resolve("dirbundle/pigsty");
        Files.createDirectories(dir.getParent());
        run("cp", "-a", tree.toString(), dir.getParent().toString());
        run("mkfifo", dir.resolve("Packages").toString());
        assertEquals(Launcher.Exit.INVALID.code, launcher("verify", "--bundle", dir.toString()), said());
        assertTrue(said().contains("is not a regular file (a FIFO"), said());
    }

    /**
     * A small compressed archive whose headers claim far more than it could hold (a decompression
     * bomb) is refused at the header that passes 64 times its size (at least 1 GiB), unread.
     */
    @Test
    void aCompressedBundleThatWouldExpandPastItsBoundIsRefusedAtTheHeader() throws Exception {
        byte[] h = new byte[512];
        byte[] name = "pigsty/big.deb".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(name, 0, h, 0, name.length);
        put(h, 100, "0000644");
        put(h, 108, "0000000");
        put(h, 116, "0000000");
        put(h, 124, String.format("%011o", 3L << 30)); // 3 GiB of content, never written
        put(h, 136, "00000000000");
        h[156] = '0';
        put(h, 257, "ustar");
        put(h, 263, "00");
        java.util.Arrays.fill(h, 148, 156, (byte) ' ');
        int sum = 0;
        for (byte b : h) sum += b & 0xff;
        put(h, 148, String.format("%06o", sum));
        h[154] = 0;
        Path bomb = tmp.resolve("bomb.tgz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(bomb))) {
            out.write(h);
            out.write(new byte[1 << 20]); // the start of the content
        }
        assertTrue(Files.size(bomb) < 64 << 10, Files.size(bomb) + " bytes");
        long t0 = System.nanoTime();
        assertEquals(Launcher.Exit.INVALID.code, launcher("verify", "--bundle", bomb.toString()), said());
        assertTrue(said().contains("big.deb takes its content past 1073741824 bytes") && said().contains("decompression bomb"), said());
        assertTrue(System.nanoTime() - t0 < 10_000_000_000L, "read instead of refused at the header");
        assertFalse(Files.exists(root.resolve("www")));
    }

    private static void put(byte[] h, int at, String ascii) {
        byte[] b = ascii.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, at, b.length);
    }

    /** A throwaway gpg home with one key made by gpg itself; returns [home, armored public key]. */
    private Path[] gpgKey(String name) throws Exception {
        Path home = tmp.resolve("gnupg-" + name);
        Files.createDirectories(home);
        Files.setPosixFilePermissions(home, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        run("gpg", "--homedir", home.toString(), "--batch", "--passphrase", "", "--quick-gen-key", name + " <" + name + "@example.invalid>",
                "rsa3072", "sign", "never");
        Path pub = tmp.resolve(name + ".asc");
        Files.writeString(pub, run("gpg", "--homedir", home.toString(), "--batch", "--armor", "--export"));
        return new Path[] {home, pub};
    }

    private static void sign(Path tree, Path gpgHome) throws Exception {
        Files.deleteIfExists(tree.resolve("repo_complete.asc"));
        run("gpg", "--homedir", gpgHome.toString(), "--batch", "--yes", "--armor", "--detach-sign", "--output",
                tree.resolve("repo_complete.asc").toString(), tree.resolve("repo_complete").toString());
    }

    /**
     * With a trusted key (--trust, or baked in at /etc/pigsty/trusted.asc) only a bundle that key
     * signed is applied; one byte changed, another signer, no signature, and a forgery whose
     * checksums were all recomputed are each refused before the host changes. The signature is
     * checked by the host's gpgv; the signatures here are made by gpg itself.
     */
    @Test
    void aTrustedKeyAcceptsOnlyBundlesItSigned() throws Exception {
        Path[] ours = gpgKey("publisher"), theirs = gpgKey("stranger");
        Files.createDirectories(tree.resolve("keys"));
        Files.copy(ours[1], tree.resolve("keys/pigsty-bundle.asc"));
        complete(tree);
        sign(tree, ours[0]);
        Path good = tgz("signed.tgz");
        String trust = ours[1].toString();

        // unsigned: refused when a key is trusted
        Files.move(tree.resolve("repo_complete.asc"), tmp.resolve("kept.asc"));
        assertEquals(Launcher.Exit.INVALID.code, launcher("apply", "--bundle", tgz("unsigned.tgz").toString(), "--trust", trust), said());
        assertTrue(said().contains("is not signed (no repo_complete.asc)"), said());
        Files.move(tmp.resolve("kept.asc"), tree.resolve("repo_complete.asc"));
        // signed by another key
        sign(tree, theirs[0]);
        assertEquals(Launcher.Exit.INVALID.code, launcher("verify", "--bundle", tgz("stranger.tgz").toString(), "--trust", trust), said());
        assertTrue(said().contains("is not a good signature by the trusted key"), said());
        // a package changed, everything recomputed (repo_complete and the tarball's .sha256), the old signature kept
        sign(tree, ours[0]);
        Path sig = tmp.resolve("good.asc");
        Files.copy(tree.resolve("repo_complete.asc"), sig);
        Files.writeString(tree.resolve("a_1.0_amd64.deb"), "package A, with a payload");
        complete(tree);
        Files.copy(sig, tree.resolve("repo_complete.asc"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path forged = tgz("forged.tgz");
        Files.writeString(tmp.resolve("forged.tgz.sha256"), sha(Files.readAllBytes(forged)) + "  forged.tgz\n");
        assertEquals(Launcher.Exit.INVALID.code, launcher("apply", "--bundle", forged.toString(), "--trust", trust), said());
        assertTrue(said().contains("is not a good signature by the trusted key"), said());
        // one byte of a package changed after signing: the signature holds, the listed hash does not
        Files.writeString(tree.resolve("a_1.0_amd64.deb"), "package a");
        complete(tree);
        sign(tree, ours[0]);
        Files.writeString(tree.resolve("a_1.0_amd64.deb"), "package b");
        assertEquals(Launcher.Exit.INVALID.code, launcher("verify", "--bundle", tgz("byte.tgz").toString(), "--trust", trust), said());
        assertTrue(said().contains("a_1.0_amd64.deb does not match its repo_complete sha256"), said());
        assertFalse(Files.exists(root.resolve("www")), "the host changed before the bundle was accepted");
        assertFalse(Files.exists(root.resolve("etc/apt/sources.list.d/pigsty-local.list")));

        // the good one, with the key baked into the host: applied, and apt is wired to check the index with the shipped key
        Files.createDirectories(root.resolve("etc/pigsty"));
        Files.copy(ours[1], root.resolve("etc/pigsty/trusted.asc"));
        assertEquals(0, launcher("apply", "--bundle", good.toString()), said());
        assertTrue(said().contains("signature: good, by the trusted key"), said());
        assertEquals("deb [signed-by=/www/pigsty/keys/pigsty-bundle.asc] file:/www/pigsty/ ./\n",
                Files.readString(root.resolve("etc/apt/sources.list.d/pigsty-local.list")));
        // a secret key given to trust is refused with what to give instead
        Path secret = tmp.resolve("secret.asc");
        Files.writeString(secret, run("gpg", "--homedir", ours[0].toString(), "--batch", "--armor", "--export-secret-keys"));
        assertEquals(Launcher.Exit.INVALID.code, launcher("verify", "--bundle", good.toString(), "--trust", secret.toString()), said());
        assertTrue(said().contains("is a secret key: trust the public one"), said());
        // and a stranger's bundle is refused by the baked key alone
        Files.delete(root.resolve("var/lib/pigsty/firstboot.json"));
        assertEquals(Launcher.Exit.INVALID.code, launcher("verify", "--bundle", tgz("stranger2.tgz").toString()), said());
    }

    /**
     * A bundle cut into parts (GNU split) spread over two "media": the launcher reads them in order
     * through the .parts.json, never joined on disk, and applies; a damaged part is named and nothing
     * changes.
     */
    @Test
    void aSplitBundleIsAppliedFromItsPartsAndADamagedPartIsNamed() throws Exception {
        Path tgz = tgz("pkg.tgz");
        Path disc1 = Files.createDirectories(tmp.resolve("disc1")), disc2 = Files.createDirectories(tmp.resolve("disc2"));
        run("split", "-b", "200", "-d", "-a", "3", "--numeric-suffixes=1", tgz.toString(), disc1.resolve("pkg.tgz.part-").toString());
        List<Path> parts;
        try (java.util.stream.Stream<Path> s = Files.list(disc1)) {
            parts = s.sorted().toList();
        }
        assertTrue(parts.size() >= 2, parts.toString());
        StringBuilder json = new StringBuilder("{\"file\": \"pkg.tgz\", \"size\": " + Files.size(tgz) + ", \"sha256\": \""
                + sha(Files.readAllBytes(tgz)) + "\", \"parts\": [");
        for (int i = 0; i < parts.size(); i++) {
            byte[] b = Files.readAllBytes(parts.get(i));
            json.append(i == 0 ? "" : ", ").append("{\"name\": \"").append(parts.get(i).getFileName()).append("\", \"size\": ")
                    .append(b.length).append(", \"sha256\": \"").append(sha(b)).append("\"}");
        }
        Files.writeString(disc1.resolve("pkg.tgz.parts.json"), json.append("]}\n"));
        Path last = parts.get(parts.size() - 1);
        Files.move(last, disc2.resolve(last.getFileName())); // the last part on the second medium
        Path list = disc1.resolve("pkg.tgz.parts.json");

        assertEquals(Launcher.Exit.INVALID.code, launcher("verify", "--bundle", list.toString()), said());
        assertTrue(said().contains(last.getFileName() + " is missing") && said().contains("--parts"), said());
        byte[] second = Files.readAllBytes(parts.get(1));
        second[second.length / 2] ^= 1;
        Files.write(parts.get(1), second);
        assertEquals(Launcher.Exit.INVALID.code, launcher("apply", "--bundle", list.toString(), "--parts", disc2.toString()), said());
        assertTrue(said().contains(parts.get(1) + " is not the part pkg.tgz.parts.json lists"), said());
        second[second.length / 2] ^= 1;
        Files.write(parts.get(1), second);
        // the last part, read past the archive's end: longer or shorter than listed is named too
        Path lastPart = disc2.resolve(last.getFileName());
        byte[] whole = Files.readAllBytes(lastPart);
        Files.write(lastPart, java.util.Arrays.copyOf(whole, whole.length + 7));
        assertEquals(Launcher.Exit.INVALID.code, launcher("verify", "--bundle", list.toString(), "--parts", disc2.toString()), said());
        assertTrue(said().contains(lastPart + " is not the part"), said());
        Files.write(lastPart, whole);
        assertEquals(Launcher.Exit.FAILED.code, launcher("verify", "--bundle", list.toString(), "--parts", tmp.resolve("no-such-disc").toString()), said());
        assertTrue(said().contains("no such directory"), said());
        assertFalse(Files.exists(root.resolve("www")));
        Files.delete(root.resolve("var/lib/pigsty/firstboot.json"));
        assertEquals(0, launcher("apply", "--bundle", list.toString(), "--parts", disc2.toString()), said());
        assertEquals("package a", Files.readString(root.resolve("www/pigsty/a_1.0_amd64.deb")));
    }

    @Test
    void twoRunsNeverOverlap() throws Exception {
        Path state = root.resolve("var/lib/pigsty");
        Files.createDirectories(state);
        try (FileChannel ch = FileChannel.open(state.resolve("firstboot.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock held = ch.lock()) {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), "io.pigsty.launcher.Main", "apply", "--root", root.toString(),
                    "--bundle", tgz("locked.tgz").toString()).redirectErrorStream(true).start();
            String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(Launcher.Exit.LOCKED.code, p.exitValue(), s);
            assertTrue(s.contains("another pigsty-launcher is working on this host"), s);
        }
    }

    @Test
    void usageErrors() {
        assertEquals(Launcher.Exit.USAGE.code, Main.run(new String[] {"frobnicate"}, new PrintStream(out)));
        assertEquals(Launcher.Exit.USAGE.code, Main.run(new String[] {"apply", "--bundle"}, new PrintStream(out)));
        assertEquals(Launcher.Exit.USAGE.code, Main.run(new String[] {}, new PrintStream(out)));
        assertTrue(List.of(said().split("\n")).stream().anyMatch(l -> l.startsWith("usage: pigsty-launcher")));
    }
}
