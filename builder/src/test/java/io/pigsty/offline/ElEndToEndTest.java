package io.pigsty.offline;

import io.pigsty.offline.cli.Main;
import io.pigsty.offline.fixtures.FileServer;
import io.pigsty.offline.fixtures.Tools;
import io.pigsty.offline.fixtures.YumFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole EL job against fixture repos on 127.0.0.1, judged by the real consumers: dnf installs
 * every requested package into an empty root from the built repo alone; rpm, tar, gzip and
 * sha256sum accept the outputs; two builds give the same bytes.
 */
class ElEndToEndTest {
    @TempDir
    static Path tmp;
    static FileServer server;
    static Path home;

    @BeforeAll
    static void fixture() throws Exception {
        Tools.require("dnf", "rpm", "tar", "gzip", "sha256sum");
        YumFixture.create(tmp.resolve("upstream"));
        server = new FileServer(tmp.resolve("upstream"));
        home = YumFixture.home(tmp.resolve("home"), server.url(""), YumFixture.REQUEST);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    /** Runs the CLI in-process; returns exit code, stdout and stderr. */
    static Cli cli(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Cli(code, out.toString(), err.toString());
    }

    record Cli(int code, String out, String err) {}

    static String[] offline(Path work, String... extra) {
        return offline(home, work, extra);
    }

    static String[] offline(Path home, Path work, String... extra) {
        List<String> a = new ArrayList<>(List.of("offline", "--os", "el9", "--home", home.toString(),
                "--cache", work.resolve("cache").toString(), "--repo-dir", work.resolve("www/pigsty").toString(),
                "--dist", work.resolve("dist").toString(), "--timeout", "5"));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    @Test
    void bundleInstallsWithDnfFromTheBuiltRepoAlone() throws Exception {
        Path work = tmp.resolve("e2e");
        Cli c = cli(offline(work, "--sbom", "cyclonedx,spdx"));
        assertEquals(0, c.code(), c.err());
        Path tree = work.resolve("www/pigsty");
        Path tgz = work.resolve("dist/v9.9.9/pigsty-pkg-v9.9.9.el9.x86_64.tgz");
        assertTrue(Files.isRegularFile(tgz), c.err());
        // a small bundle: told that Pigsty's own bootstrap would discard it
        assertTrue(c.err().contains("smaller than 409600000 bytes: Pigsty's own bootstrap script"), c.err());

        // repo_complete checks with sha256sum inside the tree, and lists every package file.
        Tools.run(tree, "sha256sum", "--strict", "-c", "repo_complete").ok();
        List<String> rpms;
        try (Stream<Path> s = Files.list(tree)) {
            rpms = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".rpm")).sorted().collect(Collectors.toList());
        }
        // ... and every other file of the tree (the index, the manifest, firstboot.sh): all but itself
        List<String> listed = Files.readAllLines(tree.resolve("repo_complete")).stream()
                .map(l -> l.substring(66)).sorted().collect(Collectors.toList());
        List<String> files;
        try (Stream<Path> s = Files.walk(tree)) {
            files = s.filter(Files::isRegularFile).map(p -> tree.relativize(p).toString()).filter(n -> !n.equals("repo_complete"))
                    .sorted().collect(Collectors.toList());
        }
        assertEquals(files, listed);
        assertTrue(listed.containsAll(rpms) && listed.contains("repodata/repomd.xml") && listed.contains("manifest.json"), listed.toString());

        // The SBOM: schema-valid, a component per RPM with sha256sum's hash, the solve's edges.
        Map<String, List<String>> graph = io.pigsty.offline.fixtures.SbomCheck.check(tree, ".rpm");
        io.pigsty.offline.fixtures.SbomCheck.spdx(tree, ".rpm", graph);
        assertTrue(graph.get("app").containsAll(List.of("libfoo", "python3", "app-data")), graph.get("app").toString());
        String sbom = Files.readString(tree.resolve("sbom.cdx.json"));
        assertTrue(sbom.contains("\"MIT\"") && sbom.contains("\"tests\""), "license and supplier from the RPMs' metadata");

        // rpm verifies every package's digests.
        List<String> k = new ArrayList<>(List.of("rpm", "-K"));
        rpms.forEach(r -> k.add(tree.resolve(r).toString()));
        String kout = Tools.run(tree, k, 120).ok().out();
        assertEquals(rpms.size(), kout.lines().filter(l -> l.endsWith("digests OK")).count(), kout);

        // The tarball has one top directory, passes gzip -t, and holds what the tree holds.
        Tools.run(work, "gzip", "-t", tgz.toString()).ok();
        List<String> entries = Tools.run(work, "tar", "-tzf", tgz.toString()).ok().out().lines().collect(Collectors.toList());
        assertTrue(entries.stream().allMatch(e -> e.startsWith("pigsty/")), entries.toString());
        assertTrue(entries.contains("pigsty/repo_complete") && entries.contains("pigsty/manifest.json")
                && entries.contains("pigsty/repodata/repomd.xml"), entries.toString());
        for (String r : rpms) assertTrue(entries.contains("pigsty/" + r), r);
        Tools.run(tgz.getParent(), "sha256sum", "-c", tgz.getFileName() + ".sha256").ok();

        // dnf installs every requested package into an empty root, using only the extracted bundle.
        Path extracted = work.resolve("air-gapped/www");
        Files.createDirectories(extracted);
        Tools.run(work, "tar", "-xzf", tgz.toString(), "-C", extracted.toString()).ok();
        Path root = work.resolve("installroot");
        Files.createDirectories(root);
        List<String> dnf = new ArrayList<>(List.of("dnf", "-y", "-q", "--installroot=" + root, "--setopt=reposdir=/dev/null",
                "--repofrompath=local,file://" + extracted.resolve("pigsty"), "--nogpgcheck", "--forcearch=x86_64",
                "--releasever=9", "--setopt=local.module_hotfixes=1", "install"));
        dnf.addAll(YumFixture.REQUEST);
        dnf.add("pigsty-launcher");
        Tools.run(work, dnf, 600).ok();
        String installed = Tools.run(work, "rpm", "--root", root.toString(), "-qa", "--qf", "%{NAME}-%{EPOCHNUM}:%{VERSION}-%{RELEASE}.%{ARCH}\\n").ok().out();
        for (String expect : List.of("tool-1:1.0-1.x86_64", "tilde-0:1.0-1.x86_64", "caret-0:1.0^git1-1.x86_64",
                "libfoo-0:1.5-1.x86_64", "libfoo-0:1.0-1.i686", "glibc-0:2.34-1.i686", "nodejs-1:16.0-1.module_el9.x86_64",
                "nginx-0:1.26-1.x86_64", "postfix-0:3.5-1.x86_64", "webserver-a-0:1.0-1.noarch", "richplug-0:1.0-1.noarch",
                "plugin-impl-full-0:1.0-1.noarch", "app-data-0:1.0-1.noarch", "python3-0:3.9-1.x86_64",
                "postgresql18-server-0:18.1-1.x86_64", "postgresql18-libs-0:18.1-1.x86_64", "newtool-0:2.0-1.x86_64",
                "want-old-0:1.0-1.noarch", "app-docs-0:1.0-1.noarch"))
            assertTrue(installed.contains(expect), expect + " not installed by dnf:\n" + installed);
        assertFalse(installed.contains("aaa-mta"), installed);
        // The launcher package: its requirements as rpm reads them, its files where dnf put them.
        String requires = Tools.run(work, "rpm", "-qpR", tree.resolve("pigsty-launcher-0.1.0-1.noarch.rpm").toString()).ok().out();
        assertTrue(requires.contains("(java-17-openjdk-headless or java-21-openjdk-headless or java-25-openjdk-headless)"), requires);
        Tools.run(work, "rpm", "-qpi", tree.resolve("pigsty-launcher-0.1.0-1.noarch.rpm").toString()).ok();
        assertTrue(installed.contains("pigsty-launcher-0:0.1.0-1.noarch") && installed.contains("java-17-openjdk-headless"), installed);
        assertTrue(Files.isRegularFile(root.resolve("usr/lib/pigsty-launcher/pigsty-launcher.jar")));
        assertTrue(Files.isExecutable(root.resolve("usr/bin/pigsty-launcher")));
        assertTrue(Files.isRegularFile(root.resolve("usr/lib/systemd/system/pigsty-firstboot.service")));
        assertTrue(entries.contains("pigsty/firstboot.sh"), entries.toString());
        assertTrue(Files.isRegularFile(root.resolve("usr/share/app-data/data.txt")));

        // The bundle holds no more than the closure with weak deps, as Pigsty's repotrack downloads and dnf installs.
        assertTrue(rpms.stream().anyMatch(r -> r.startsWith("app-docs")), rpms.toString());
        assertFalse(rpms.stream().anyMatch(r -> r.startsWith("aaa-mta") || r.startsWith("badpkg")
                || r.startsWith("webserver-b") || r.startsWith("oldtool")), rpms.toString());
    }

    /**
     * A signed bundle: real gpg (only the public key imported) accepts every signature, and real dnf
     * installs from it with repo_gpgcheck=1 and the shipped key, as the launcher wires it; the same
     * repo whose repomd.xml.asc another key made is refused by dnf.
     */
    @Test
    void aSignedBundleInstallsWithDnfCheckingItsMetadataSignature() throws Exception {
        Path work = tmp.resolve("signed"), keys = work.resolve("keys"), other = work.resolve("other");
        for (Path d : List.of(keys, other)) assertEquals(0, cli("keygen", "--out", d.toString(), "--home", home.toString()).code());
        Cli c = cli(offline(work, "--sign-key", keys.resolve("pigsty-sign.key").toString()));
        assertEquals(0, c.code(), c.err());
        Path tree = work.resolve("www/pigsty"), tgz = work.resolve("dist/v9.9.9/pigsty-pkg-v9.9.9.el9.x86_64.tgz");
        Path gh = Files.createDirectories(work.resolve("gpghome"));
        Files.setPosixFilePermissions(gh, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Tools.run(work, "gpg", "--homedir", gh.toString(), "--batch", "--import", keys.resolve("pigsty-sign.asc").toString()).ok();
        for (String[] v : new String[][] {{tgz + ".asc", tgz.toString()}, {tree.resolve("repo_complete.asc").toString(), tree.resolve("repo_complete").toString()},
                {tree.resolve("repodata/repomd.xml.asc").toString(), tree.resolve("repodata/repomd.xml").toString()}}) {
            List<String> cmd = new ArrayList<>(List.of("gpg", "--homedir", gh.toString(), "--batch", "--verify"));
            cmd.addAll(List.of(v));
            Tools.run(work, cmd, 60).ok();
        }
        assertEquals(Files.readString(keys.resolve("pigsty-sign.asc")), Files.readString(tree.resolve("keys/pigsty-bundle.asc")));
        Tools.run(tree, "sha256sum", "--strict", "-c", "repo_complete").ok();
        List<String> listed = Files.readAllLines(tree.resolve("repo_complete"));
        assertTrue(listed.stream().anyMatch(l -> l.endsWith("  repodata/repomd.xml.asc")) && listed.stream().anyMatch(l -> l.endsWith("  keys/pigsty-bundle.asc"))
                && listed.stream().noneMatch(l -> l.endsWith("repo_complete.asc")), listed.toString());

        java.util.function.Function<String, Tools.Run> dnf = name -> {
            Path root = work.resolve("root-" + name);
            List<String> cmd = new ArrayList<>(List.of("dnf", "-y", "-q", "--installroot=" + root, "--setopt=reposdir=/dev/null",
                    "--repofrompath=local,file://" + tree, "--setopt=local.gpgcheck=0", "--setopt=local.repo_gpgcheck=1",
                    "--setopt=local.gpgkey=file://" + tree.resolve("keys/pigsty-bundle.asc"), "--forcearch=x86_64", "--releasever=9",
                    "--setopt=local.module_hotfixes=1", "install", "app", "tool"));
            return Tools.run(work, cmd, 600);
        };
        Tools.Run ok = dnf.apply("good");
        assertEquals(0, ok.code(), ok.out());
        assertTrue(Tools.run(work, "rpm", "--root", work.resolve("root-good").toString(), "-q", "app").ok().out().startsWith("app-1.0"));
        // repomd.xml signed by a stranger: dnf refuses the repo
        try (var in = Files.newInputStream(tree.resolve("repodata/repomd.xml"))) {
            Files.write(tree.resolve("repodata/repomd.xml.asc"), io.pigsty.offline.format.BundleKey.load(other.resolve("pigsty-sign.key"),
                    new char[0]).detached(in, 1700000000L));
        }
        Tools.Run refused = dnf.apply("forged");
        assertTrue(refused.code() != 0 && (refused.out().contains("GPG") || refused.out().contains("signature")), refused.out());
    }

    /**
     * Upstream RPMs signed by their vendor (the real rpmsign) and a repo-spec naming the vendor key
     * (gpgkey:): every package's signature is verified at build time, the launcher is signed with the
     * bundle key, and the bundle ships both keys in keys/rpm-gpgkeys. firstboot.sh, run in a real root,
     * wires gpgcheck=1 with them, and real dnf installs from that repo file alone, checking every RPM's
     * signature and the index's; rpmkeys says every package's signature is OK. A package changed after
     * its vendor signed it (its repo checksums made anew) stops the build, naming it; one signed by a
     * key no repo names leaves gpgcheck off, with a warning that names it.
     */
    @Test
    void upstreamRpmSignaturesAreVerifiedAndShippedKeysTurnGpgcheckOn() throws Exception {
        Tools.require("rpmsign", "rpmkeys", "gpg", "unshare", "chroot");
        Path work = tmp.resolve("rpmkeys"), up = work.resolve("upstream"), gnupg = work.resolve("vendor-gpg");
        String vendor = YumFixture.vendorKey(gnupg, "Fixture Vendor <vendor@example.invalid>");
        YumFixture.create(up, gnupg);
        try (FileServer srv = new FileServer(up)) {
            Path h = YumFixture.home(work.resolve("home"), srv.url(""), YumFixture.REQUEST);
            Files.createDirectories(h.resolve("repo-spec/keys"));
            Files.writeString(h.resolve("repo-spec/keys/vendor.asc"), vendor);
            Path spec = h.resolve("repo-spec/fixture.yml");
            Files.writeString(spec, Files.readString(spec).replace(" ,description:", " ,gpgkey: keys/vendor.asc ,description:"));
            Path keys = work.resolve("bundle-key");
            assertEquals(0, cli("keygen", "--out", keys.toString(), "--home", h.toString()).code());
            Path b = work.resolve("good");
            Cli c = cli(offline(h, b, "--sign-key", keys.resolve("pigsty-sign.key").toString()));
            assertEquals(0, c.code(), c.err());
            assertFalse(c.err().contains("gpgcheck stays off"), c.err());
            Path tree = b.resolve("www/pigsty");
            List<String> listed = Files.readAllLines(tree.resolve("keys/rpm-gpgkeys"));
            assertEquals(2, listed.size(), listed.toString());
            assertTrue(listed.contains("keys/pigsty-bundle.asc"), listed.toString());
            String vendorFile = listed.stream().filter(l -> l.startsWith("keys/rpm-")).findFirst().orElseThrow();
            // the shipped key is the vendor's: gpg sees the same fingerprint in both
            java.util.function.Function<Path, String> fpr = f -> Tools.run(work, List.of("gpg", "--batch", "--with-colons", "--show-keys",
                    f.toString()), 60).ok().out().lines().filter(l -> l.startsWith("fpr:")).findFirst().orElseThrow();
            assertEquals(fpr.apply(gnupg.resolve("vendor.asc")), fpr.apply(tree.resolve(vendorFile)));
            assertTrue(Files.readAllLines(tree.resolve("repo_complete")).stream().anyMatch(l -> l.endsWith("  keys/rpm-gpgkeys")));

            // rpm itself, with only the two shipped keys, finds every package's signature good
            Path db = Files.createDirectories(work.resolve("rpmdb"));
            for (String k : listed) Tools.run(work, "rpmkeys", "--dbpath", db.toString(), "--import", tree.resolve(k).toString()).ok();
            List<String> rpms;
            try (Stream<Path> st = Files.list(tree)) {
                rpms = st.filter(f -> f.toString().endsWith(".rpm")).map(Path::toString).sorted().collect(Collectors.toList());
            }
            List<String> k = new ArrayList<>(List.of("rpmkeys", "--dbpath", db.toString(), "-K"));
            k.addAll(rpms);
            String kout = Tools.run(work, k, 120).ok().out();
            assertEquals(rpms.size(), kout.lines().filter(l -> l.endsWith("digests signatures OK")).count(), kout);
            assertTrue(rpms.stream().anyMatch(r -> r.contains("pigsty-launcher")), rpms.toString());

            // firstboot.sh wires the repo on an EL host (a Debian root told it is not Debian; dnf and the launcher stubbed) ...
            StringBuilder why = new StringBuilder();
            assertTrue(io.pigsty.offline.fixtures.DebianRoot.cached(why) != null, why.toString());
            Path root = io.pigsty.offline.fixtures.DebianRoot.copy(work.resolve("el-host"));
            Files.delete(root.resolve("etc/debian_version"));
            Tools.run(null, "cp", "-a", tree.toString(), Files.createDirectories(root.resolve("www")).toString()).ok();
            Files.writeString(root.resolve("usr/local/bin/dnf"), "#!/bin/sh\necho \"dnf $*\"\nprintf '#!/bin/sh\\necho launcher \"$@\"\\n'"
                    + " > /usr/local/bin/pigsty-launcher && chmod 755 /usr/local/bin/pigsty-launcher\n");
            Tools.run(null, "chmod", "755", root.resolve("usr/local/bin/dnf").toString()).ok();
            Tools.Run fb = io.pigsty.offline.fixtures.DebianRoot.offline(root, "sh /www/pigsty/firstboot.sh");
            assertEquals(0, fb.code(), fb.out());
            assertTrue(fb.out().contains("dnf install -y --disablerepo=* --enablerepo=pigsty-local pigsty-launcher")
                    && fb.out().contains("launcher apply --bundle /www/pigsty"), fb.out());
            String repoFile = Files.readString(root.resolve("etc/yum.repos.d/pigsty-local.repo"));
            assertTrue(repoFile.contains("\ngpgcheck=1\nrepo_gpgcheck=1\ngpgkey=file:///www/pigsty/keys/pigsty-bundle.asc file:///www/pigsty/"
                    + vendorFile + "\n"), repoFile);
            // ... and real dnf installs from that repo file alone (its paths seen from this host), checking every signature
            Path reposd = Files.createDirectories(work.resolve("repos.d"));
            Files.writeString(reposd.resolve("pigsty-local.repo"), repoFile.replace("file:///www/pigsty/", "file://" + root.resolve("www/pigsty") + "/"));
            Path installroot = work.resolve("installroot");
            Tools.Run dnf = Tools.run(work, List.of("dnf", "-y", "--installroot=" + installroot, "--setopt=reposdir=" + reposd,
                    "--forcearch=x86_64", "--releasever=9", "install", "app", "tool", "pigsty-launcher"), 600);
            assertEquals(0, dnf.code(), dnf.out());
            assertTrue(Tools.run(work, "rpm", "--root", installroot.toString(), "-q", "pigsty-launcher").ok().out().startsWith("pigsty-launcher-"));
            // the keys dnf imported are the two shipped ones
            String imported = Tools.run(work, "rpm", "--root", installroot.toString(), "-q", "gpg-pubkey").ok().out();
            assertEquals(2, imported.lines().count(), imported);
            Tools.run(null, "rm", "-rf", root.toString()).ok(); // a whole root: removed here, not by JUnit link by link

            // A package changed after its vendor signed it, the repo's checksums made anew: the build stops and names it.
            Path tool = up.resolve("base/Packages/app-1.0-1.x86_64.rpm");
            assertTrue(Files.isRegularFile(tool), "the fixture's app");
            byte[] original = Files.readAllBytes(tool), changed = original.clone();
            changed[changed.length - 20] ^= 1;
            Files.write(tool, changed);
            YumFixture.reindex(up);
            Cli bad = cli(offline(h, work.resolve("bad"), "--sign-key", keys.resolve("pigsty-sign.key").toString()));
            assertEquals(4, bad.code(), bad.err());
            assertTrue(bad.err().contains("app-1.0-1.x86_64.rpm") && bad.err().contains("changed after it was signed"), bad.err());
            assertFalse(Files.exists(work.resolve("bad/www/pigsty")), "a tree was published");

            // Signed by a key no repo names: built, gpgcheck off, the warning names the package and the key.
            Files.write(tool, original);
            Path stranger = work.resolve("stranger-gpg");
            YumFixture.vendorKey(stranger, "Stranger <stranger@example.invalid>");
            Path one = Files.createDirectories(work.resolve("resign"));
            Files.copy(tool, one.resolve(tool.getFileName()));
            Tools.run(one, "rpmsign", "--delsign", one.resolve(tool.getFileName()).toString()).ok();
            YumFixture.rpmsign(stranger, one);
            Files.copy(one.resolve(tool.getFileName()), tool, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            YumFixture.reindex(up);
            Cli off = cli(offline(h, work.resolve("off"), "--sign-key", keys.resolve("pigsty-sign.key").toString()));
            assertEquals(0, off.code(), off.err());
            assertTrue(off.err().contains("gpgcheck stays off") && off.err().contains("app-1.0-1.x86_64.rpm")
                    && off.err().contains("not by a key named for repo 'base' (gpgkey:)"), off.err());
            assertFalse(Files.exists(work.resolve("off/www/pigsty/keys/rpm-gpgkeys")));
        }
    }

    /** A key that cannot be used stops the build at once (exit 2), before any download, never printing the passphrase. */
    @Test
    void aSigningKeyThatCannotBeUnlockedStopsTheBuildAtOnce() throws Exception {
        Path work = tmp.resolve("badkey"), keys = work.resolve("keys"), pass = work.resolve("pass"), wrong = work.resolve("wrong");
        Files.createDirectories(work);
        Files.writeString(pass, "correct horse\n");
        Files.writeString(wrong, "battery staple\n");
        assertEquals(0, cli("keygen", "--out", keys.toString(), "--home", home.toString(), "--passphrase-file", pass.toString()).code());
        assertTrue(Files.readString(keys.resolve("pigsty-sign.key")).contains("BEGIN PGP PRIVATE KEY BLOCK"));
        Cli c = cli(offline(work, "--sign-key", keys.resolve("pigsty-sign.key").toString(), "--sign-passphrase-file", wrong.toString()));
        assertEquals(2, c.code(), c.err());
        assertTrue(c.err().contains("--sign-key") && c.err().contains("wrong passphrase"), c.err());
        assertFalse(c.err().contains("battery") || c.out().contains("battery"), "the passphrase was printed");
        assertFalse(Files.exists(work.resolve("cache/blobs")), "something was downloaded");
        c = cli(offline(work, "--sign-key", keys.resolve("pigsty-sign.asc").toString()));
        assertEquals(2, c.code(), c.err());
        assertTrue(c.err().contains("is not an OpenPGP secret key"), c.err());
        c = cli(offline(work, "--sign-passphrase-file", pass.toString()));
        assertEquals(2, c.code(), c.err());
        assertTrue(c.err().contains("given without --sign-key"), c.err());
        c = cli(offline(work, "--sign-key", keys.resolve("pigsty-sign.key").toString(), "--sign-passphrase-file", pass.toString()));
        assertEquals(0, c.code(), c.err());
    }

    /**
     * {@code --split}: the tarball as parts of at most 1 MiB with their list and sha256sum file;
     * joined with cat they are byte for byte the unsplit tarball, and the launcher verifies the
     * bundle from the parts themselves.
     */
    @Test
    void aSplitTarballJoinsToTheWholeOneAndTheLauncherReadsItsParts() throws Exception {
        Path whole = tmp.resolve("whole"), split = tmp.resolve("split");
        Cli bad = cli(offline(split, "--split", "4X"));
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().contains("--split") && bad.err().contains("dvd"), bad.err());
        // 3 MiB of incompressible source, so the bundle takes several 1 MiB parts
        Path src = Files.createDirectories(tmp.resolve("bigsrc/pigsty"));
        byte[] noise = new byte[3 << 20];
        new java.util.Random(1).nextBytes(noise);
        Files.write(src.resolve("noise.bin"), noise);
        Path srcTgz = tmp.resolve("pigsty-v9.9.9.tgz");
        Tools.run(tmp, "tar", "-czf", srcTgz.toString(), "-C", src.getParent().toString(), "pigsty").ok();
        assertEquals(0, cli(offline(whole, "--pigsty-src", srcTgz.toString())).code());
        Cli c = cli(offline(split, "--pigsty-src", srcTgz.toString(), "--split", "1M"));
        assertEquals(0, c.code(), c.err());
        Path dist = split.resolve("dist/v9.9.9");
        String name = "pigsty-pkg-v9.9.9.el9.x86_64.tgz";
        assertFalse(Files.exists(dist.resolve(name)), "the joined file is never written");
        assertFalse(Files.exists(dist.resolve(name + ".sha256")), "no checksum of a file that is not there");
        List<String> parts;
        try (Stream<Path> s = Files.list(dist)) {
            parts = s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(name + ".part-")).sorted().toList();
        }
        assertTrue(parts.size() >= 2, parts.toString());
        for (String p : parts) assertTrue(Files.size(dist.resolve(p)) <= 1 << 20, p);
        Tools.run(dist, "sha256sum", "--strict", "-c", name + ".parts.sha256").ok();
        Tools.run(dist, "sh", "-c", "cat " + name + ".part-* > joined.tgz").ok();
        assertEquals(Files.readString(whole.resolve("dist/v9.9.9/" + name + ".sha256")).split(" ")[0],
                Tools.run(dist, "sha256sum", "joined.tgz").ok().out().split(" ")[0], "cat parts is not the whole tarball");
        assertTrue(Files.readString(dist.resolve(name + ".parts.json")).contains("\"parts\""));
        Files.delete(dist.resolve("joined.tgz"));
        Path other = Files.createDirectories(split.resolve("disc2"));
        Files.move(dist.resolve(parts.get(parts.size() - 1)), other.resolve(parts.get(parts.size() - 1)));
        Tools.Run v = Tools.run(split, List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "io.pigsty.launcher.Main", "verify", "--bundle",
                dist.resolve(name + ".parts.json").toString(), "--parts", other.toString()), 120);
        assertEquals(0, v.code(), v.out());
        assertTrue(v.out().contains("verified"), v.out());
    }

    /**
     * A lock (plan --json) rebuilds exactly its packages with no metadata and no solve: two clean
     * caches give byte-identical tarballs, dnf installs from the result; a changed request makes the
     * lock stale (exit 2, naming what changed); a package upstream no longer serves is exit 4, named.
     */
    @Test
    void aLockRebuildsTheSameBytesAndAStaleOneIsNamed() throws Exception {
        Path work = tmp.resolve("locked");
        Cli p = cli("plan", "--os", "el9", "--home", home.toString(), "--cache", work.resolve("plan-cache").toString(), "--json");
        assertEquals(0, p.code(), p.err());
        Path lock = work.resolve("lock.json");
        Files.writeString(lock, p.out());
        Path a = work.resolve("a"), b = work.resolve("b");
        Cli ca = cli(offline(a, "--lock", lock.toString()));
        assertEquals(0, ca.code(), ca.err());
        assertTrue(ca.err().contains("lock: ") && !ca.err().contains("metadata:"), "a lock build reads no metadata: " + ca.err());
        assertEquals(0, cli(offline(b, "--lock", lock.toString(), "--threads", "1")).code());
        String name = "dist/v9.9.9/pigsty-pkg-v9.9.9.el9.x86_64.tgz";
        assertEquals(Files.readString(a.resolve(name + ".sha256")).split(" ")[0], Files.readString(b.resolve(name + ".sha256")).split(" ")[0],
                "two machines, one lock: the same bytes");
        @SuppressWarnings("unchecked")
        Map<String, Object> locked = (Map<String, Object>) new Yaml().load(p.out());
        Map<?, ?> manifest = (Map<?, ?>) new Yaml().load(Files.readString(a.resolve("www/pigsty/manifest.json")));
        assertEquals(((List<?>) locked.get("packages")).size(), ((List<?>) manifest.get("packages")).size());
        Path tree = a.resolve("www/pigsty");
        Tools.run(tree, "sha256sum", "--strict", "-c", "repo_complete").ok();
        Path root = work.resolve("installroot");
        Tools.run(work, List.of("dnf", "-y", "-q", "--installroot=" + root, "--setopt=reposdir=/dev/null", "--repofrompath=local,file://" + tree,
                "--nogpgcheck", "--forcearch=x86_64", "--releasever=9", "--setopt=local.module_hotfixes=1", "install", "app", "tool"), 600).ok();

        Cli stale = cli(offline(work.resolve("c"), "--lock", lock.toString(), "-e", "repo_packages=app"));
        assertEquals(2, stale.code(), stale.err());
        assertTrue(stale.err().contains("it is stale: requested changed"), stale.err());

        String gone = p.out().replaceFirst("\"location\": \"[^\"]*tool-[^\"]*\"", "\"location\": \"Packages/t/tool-gone.rpm\"");
        assertTrue(!gone.equals(p.out()), "the lock names tool");
        Path goneLock = work.resolve("gone.json");
        Files.writeString(goneLock, gone.replace("\"sha256\": \"", "\"sha256\": \"").replaceFirst(
                "(\"location\": \"Packages/t/tool-gone.rpm\",\\s*\"sha256\": \")[0-9a-f]{64}", "$1" + "0".repeat(64)));
        Cli missing = cli(offline(work.resolve("d"), "--lock", goneLock.toString()));
        assertEquals(4, missing.code(), missing.err());
        assertTrue(missing.err().contains("upstream no longer serves") && missing.err().contains("tool"), missing.err());

        // edited by hand: a path out of the repo is refused at once; a package left out breaks the install and is caught
        Path escape = work.resolve("escape.json");
        Files.writeString(escape, p.out().replaceFirst("\"location\": \"[^\"]*\"", "\"location\": \"../../etc/passwd\""));
        Cli esc = cli(offline(work.resolve("e"), "--lock", escape.toString()));
        assertEquals(2, esc.code(), esc.err());
        assertTrue(esc.err().contains("is not a plain path inside its repo"), esc.err());
        @SuppressWarnings("unchecked")
        Map<String, Object> edited = (Map<String, Object>) new Yaml().load(p.out());
        ((List<?>) edited.get("packages")).removeIf(o -> "libfoo".equals(((Map<?, ?>) o).get("name")));
        Path cut = work.resolve("cut.json");
        Files.writeString(cut, new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(edited));
        Cli broken = cli(offline(work.resolve("f"), "--lock", cut.toString()));
        assertEquals(3, broken.code(), broken.err());
        assertTrue(broken.err().contains("do not install together") && broken.err().contains("libfoo.so.1"), broken.err());
    }

    /**
     * {@code --since}: a one-package update as a delta. Applied by the launcher onto the old bundle's
     * tree it gives exactly the new full tree (the same sha256 listing of every file); onto any other
     * tree it is refused (exit 4) naming the base it needs.
     */
    @Test
    void aDeltaOntoItsBaseGivesTheNewFullTreeAndAnyOtherBaseIsRefused() throws Exception {
        Path work = tmp.resolve("delta"), old = work.resolve("old"), neu = work.resolve("new");
        assertEquals(0, cli(offline(old, "-e", "repo_packages=app tool")).code());
        Path oldTgz = old.resolve("dist/v9.9.9/pigsty-pkg-v9.9.9.el9.x86_64.tgz");
        Cli c = cli(offline(neu, "-e", "repo_packages=app tool tilde", "--since", oldTgz.toString()));
        assertEquals(0, c.code(), c.err());
        Path delta = neu.resolve("dist/v9.9.9/pigsty-pkg-v9.9.9.el9.x86_64.delta-from-v9.9.9.tgz");
        assertTrue(Files.isRegularFile(delta) && Files.isRegularFile(Path.of(delta + ".sha256")), c.err());
        List<String> entries = Tools.run(work, "tar", "-tzf", delta.toString()).ok().out().lines().toList();
        List<String> rpms = entries.stream().filter(e -> e.endsWith(".rpm")).toList();
        assertEquals(1, rpms.size(), "only the new package: " + rpms);
        assertTrue(rpms.get(0).startsWith("pigsty/tilde-"), rpms.toString());
        assertTrue(entries.contains("pigsty/delta.json") && entries.contains("pigsty/repodata/repomd.xml"), entries.toString());
        long full = Files.size(neu.resolve("dist/v9.9.9/pigsty-pkg-v9.9.9.el9.x86_64.tgz"));
        assertTrue(Files.size(delta) < full / 2, Files.size(delta) + " of " + full);

        // a scratch host holding the old bundle at /www/pigsty, and an inventory that installs and runs nothing
        Path root = work.resolve("root");
        Files.createDirectories(root.resolve("www"));
        Tools.run(work, "tar", "-xzf", oldTgz.toString(), "-C", root.resolve("www").toString()).ok();
        Files.writeString(root.resolve("inv.yml"), "all:\n  vars:\n    firstboot: { home: /opt/pigsty, packages: [], apply: '' }\n");
        java.util.function.Function<Path, Tools.Run> apply = r -> Tools.run(work, List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), "io.pigsty.launcher.Main", "apply", "--root", r.toString(),
                "--bundle", delta.toString(), "--inventory", "/inv.yml"), 300);
        Tools.Run done = apply.apply(root);
        assertEquals(0, done.code(), done.out());
        assertTrue(done.out().contains("delta applied onto pigsty-pkg-v9.9.9.el9.x86_64"), done.out());
        assertEquals(listing(neu.resolve("www/pigsty")), listing(root.resolve("www/pigsty")), "delta + base is not the full tree");
        Tools.run(root.resolve("www/pigsty"), "sha256sum", "--strict", "-c", "repo_complete").ok();

        // the same delta onto a host holding another bundle: refused, nothing changed
        Path other = work.resolve("other");
        Files.createDirectories(other.resolve("www"));
        Tools.run(work, "tar", "-xzf", neu.resolve("dist/v9.9.9/pigsty-pkg-v9.9.9.el9.x86_64.tgz").toString(), "-C",
                other.resolve("www").toString()).ok();
        Files.writeString(other.resolve("inv.yml"), Files.readString(root.resolve("inv.yml")));
        String before = listing(other.resolve("www/pigsty"));
        Tools.Run refused = apply.apply(other);
        assertEquals(4, refused.code(), refused.out());
        assertTrue(refused.out().contains("this is a delta onto pigsty-pkg-v9.9.9.el9.x86_64 (manifest.json sha256"), refused.out());
        assertEquals(before, listing(other.resolve("www/pigsty")));

        // a delta against a bundle for another target is refused before any download; a rebuild without --since drops old deltas
        Path elsewhere = work.resolve("d12-manifest.json");
        Files.writeString(elsewhere, Files.readString(old.resolve("www/pigsty/manifest.json")).replace("\"os\": \"el9\"", "\"os\": \"d12\""));
        Cli wrong = cli(offline(work.resolve("wrong"), "--since", elsewhere.toString()));
        assertEquals(2, wrong.code(), wrong.err());
        assertTrue(wrong.err().contains("is a bundle for d12.x86_64, this build is for el9.x86_64"), wrong.err());
        assertFalse(Files.exists(work.resolve("wrong/cache/blobs")), "downloads began");
        assertEquals(0, cli(offline(neu, "-e", "repo_packages=app tool tilde")).code());
        assertFalse(Files.exists(delta), "a stale delta stayed beside the rebuilt bundle");
    }

    /** Every file of a tree with its sha256, as {@code find -type f | sort | xargs sha256sum} lists them. */
    static String listing(Path tree) {
        return Tools.run(tree, "sh", "-c", "find . -type f | LC_ALL=C sort | xargs sha256sum").ok().out();
    }

    @Test
    void twoBuildsFromTheSameMetadataAreByteIdentical() throws Exception {
        Path a = tmp.resolve("repro-a"), b = tmp.resolve("repro-b");
        assertEquals(0, cli(offline(a)).code());
        // Different cache and thread count: nothing about the machine's state may leak into the bytes.
        assertEquals(0, cli(offline(b, "--threads", "1")).code());
        String name = "dist/v9.9.9/pigsty-pkg-v9.9.9.el9.x86_64.tgz";
        assertArrayEquals(Files.readAllBytes(a.resolve(name)), Files.readAllBytes(b.resolve(name)));
    }

    @Test
    void planJsonIsTheLock() throws Exception {
        Cli c = cli("plan", "--os", "el9", "--home", home.toString(), "--cache", tmp.resolve("plan-cache").toString(), "--json");
        assertEquals(0, c.code(), c.err());
        @SuppressWarnings("unchecked")
        Map<String, Object> lock = (Map<String, Object>) new Yaml().load(c.out());
        assertEquals("el9", ((Map<?, ?>) lock.get("target")).get("os"));
        List<?> pkgs = (List<?>) lock.get("packages");
        Map<String, Map<?, ?>> byName = new java.util.HashMap<>();
        for (Object o : pkgs) {
            Map<?, ?> p = (Map<?, ?>) o;
            byName.put(p.get("name") + "." + p.get("arch"), p);
            assertTrue(String.valueOf(p.get("sha256")).matches("[0-9a-f]{64}"), p.toString());
        }
        assertEquals(1, byName.get("tool.x86_64").get("epoch"));
        assertEquals("1.5", byName.get("libfoo.x86_64").get("version"));
        assertEquals("better", byName.get("libfoo.x86_64").get("repo"));
        assertEquals("16.0", byName.get("nodejs.x86_64").get("version"));
        assertTrue(((List<?>) lock.get("missing")).isEmpty());
        assertTrue(byName.containsKey("app-docs.noarch"), "EL ships weak deps by default, as Pigsty's repotrack does");
        c = cli("plan", "--os", "el9", "--home", home.toString(), "--cache", tmp.resolve("plan-cache").toString(), "--json", "--no-weak-deps");
        assertEquals(0, c.code(), c.err());
        assertFalse(c.out().contains("\"app-docs\""), "--no-weak-deps leaves them out");
        c = cli("plan", "--os", "el9", "--home", home.toString(), "--no-weak-deps", "--with-weak-deps");
        assertEquals(2, c.code(), c.err());
    }

    @Test
    void weakDepsComeInOnlyWhenAsked() throws Exception {
        Cli c = cli("plan", "--os", "el9", "--home", home.toString(), "--cache", tmp.resolve("weak-cache").toString(),
                "--with-weak-deps");
        assertEquals(0, c.code(), c.err());
        assertTrue(c.out().contains("app-docs"), c.out());
    }
}
