package io.pigsty.offline;

import io.pigsty.offline.fixtures.AptFixture;
import io.pigsty.offline.fixtures.AptSandbox;
import io.pigsty.offline.fixtures.Debs;
import io.pigsty.offline.fixtures.FileServer;
import io.pigsty.offline.fixtures.Tools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static io.pigsty.offline.ElEndToEndTest.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What must not pass: a Packages file that does not match its Release hash, a Release whose
 * signature does not verify or was made by a key not in the keyring; and what must: trusted repos
 * (with a warning), URL .debs resolved and installed, downloads resumed after a drop.
 */
class DebIntegrityTest {
    @TempDir
    static Path tmp;
    static AptFixture fx;
    FileServer server;

    @BeforeAll
    static void fixture() throws Exception {
        fx = AptFixture.create(tmp.resolve("pristine"));
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    /** A fresh copy of the fixture upstream, served; returns the home that points at it. */
    Path serveCopy(String name) throws Exception {
        Path copy = tmp.resolve(name + "-up");
        Tools.run(tmp, "cp", "-a", fx.root.toString(), copy.toString()).ok();
        server = new FileServer(copy);
        return fx.home(tmp.resolve(name + "-home"), server.url(""), List.of("app", "tool"));
    }

    static ElEndToEndTest.Cli plan(Path home, String... extra) {
        List<String> a = new ArrayList<>(List.of("plan", "--os", "d12", "--home", home.toString(), "--cache",
                home.resolveSibling(home.getFileName() + "-cache").toString(), "--timeout", "2", "--retries", "1"));
        a.addAll(List.of(extra));
        return cli(a.toArray(String[]::new));
    }

    @Test
    void tamperedPackagesIndexIsExit4() throws Exception {
        Path home = serveCopy("tamper");
        Path dir = tmp.resolve("tamper-up/main/dists/fixture/main/binary-amd64");
        Files.writeString(dir.resolve("Packages"), Files.readString(dir.resolve("Packages")).replace("Version: 1.2-1", "Version: 9.9-1"));
        Tools.run(dir, "sh", "-c", "rm Packages.gz Packages.xz && gzip -9nk Packages && xz -k Packages").ok();
        ElEndToEndTest.Cli c = plan(home);
        assertEquals(4, c.code(), c.err());
        assertTrue(c.err().contains("binary-amd64/Packages") && c.err().contains("checksum mismatch"), c.err());
    }

    @Test
    void releaseChangedAfterSigningIsExit4() throws Exception {
        Path home = serveCopy("badsig");
        Path in = tmp.resolve("badsig-up/main/dists/fixture/InRelease");
        Files.writeString(in, Files.readString(in).replace("Suite: fixture", "Suite: fixturf"));
        ElEndToEndTest.Cli c = plan(home);
        assertEquals(4, c.code(), c.err());
        assertTrue(c.err().contains("repo main") && c.err().contains("BAD signature"), c.err());
        // trusted: true skips the check, with a warning
        Path spec = home.resolve("repo-spec/fixture.yml");
        Files.writeString(spec, Files.readString(spec).replace("keyring: '" + fx.keyring + "' }", "trusted: true }"));
        c = plan(home);
        assertEquals(0, c.code(), c.err());
        assertTrue(c.err().contains("warning: repo main: trusted: true, Release signature not checked"), c.err());
    }

    /** A Packages record whose Size is not the file's (the checksum matches): refused, never carried into the bundle. */
    @Test
    void aSizeThatIsNotTheFilesIsExit4() throws Exception {
        Path home = serveCopy("size");
        Path flat = tmp.resolve("size-up/extra");
        Path packages = flat.resolve("Packages");
        String text = Files.readString(packages);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(Package: extra-tool\n(?:[^\n]+\n)*?Size: )(\\d+)").matcher(text);
        assertTrue(m.find(), text);
        Files.writeString(packages, text.substring(0, m.start(2)) + (Long.parseLong(m.group(2)) + 4096) + text.substring(m.end(2)));
        AptFixture.resign(flat, fx.gnupg);
        List<String> a = new ArrayList<>(List.of("offline", "--os", "d12", "--home", fx.home(home, server.url(""), List.of("extra-tool")).toString(),
                "--cache", tmp.resolve("size-cache").toString(), "--repo-dir", tmp.resolve("size-www/pigsty").toString(),
                "--dist", tmp.resolve("size-dist").toString(), "--timeout", "2", "--retries", "1", "--no-launcher"));
        ElEndToEndTest.Cli c = cli(a.toArray(String[]::new));
        assertEquals(4, c.code(), c.err());
        assertTrue(c.err().contains("extra-tool") && c.err().contains("but the file (whose checksum matches) has"), c.err());
        assertTrue(!Files.exists(tmp.resolve("size-www/pigsty")), "a tree was published");
    }

    /** A Release past its Valid-Until: refused as apt refuses it, accepted with --allow-expired-release (and a warning). */
    @Test
    void anExpiredReleaseIsExit4UnlessAllowed() throws Exception {
        Path home = serveCopy("expired");
        Path dist = tmp.resolve("expired-up/main/dists/fixture");
        Files.writeString(dist.resolve("Release"), Files.readString(dist.resolve("Release"))
                .replaceFirst("\nDate: ([^\n]*)\n", "\nDate: $1\nValid-Until: Thu, 01 Jan 2015 00:00:00 UTC\n"));
        AptFixture.sign(fx.gnupg, dist, true);
        ElEndToEndTest.Cli c = plan(home);
        assertEquals(4, c.code(), c.err());
        assertTrue(c.err().contains("repo main: the Release expired on 2015-01-01T00:00:00Z") && c.err().contains("--allow-expired-release"), c.err());
        c = plan(home, "--allow-expired-release");
        assertEquals(0, c.code(), c.err());
        assertTrue(c.err().contains("warning: repo main: the Release expired on 2015-01-01") && c.err().contains("accepted"), c.err());
    }

    /** apt refuses a Release signed with SHA-1, and one signed by a key that has expired. */
    @Test
    void aSha1SignatureAndAnExpiredKeyAreExit4() throws Exception {
        Path home = serveCopy("sha1");
        Path dist = tmp.resolve("sha1-up/main/dists/fixture");
        AptFixture.sign(fx.gnupg, dist, true, "--digest-algo", "SHA1");
        ElEndToEndTest.Cli c = plan(home);
        assertEquals(4, c.code(), c.err());
        assertTrue(c.err().contains("repo main") && c.err().contains("signed with SHA-1, which apt refuses"), c.err());

        home = serveCopy("oldkey");
        Path gnupg = tmp.resolve("oldkey-gnupg");
        Files.createDirectories(gnupg);
        Tools.run(tmp, "chmod", "700", gnupg.toString()).ok();
        // a key made in 2020 that expired a day later, signing in 2020: valid then, expired now
        Tools.run(tmp, List.of("gpg", "--homedir", gnupg.toString(), "--batch", "--pinentry-mode", "loopback", "--passphrase", "",
                "--faked-system-time", "20200101T000000", "--quick-gen-key", "Old <old@example.invalid>", "ed25519", "sign", "1d"), 60).ok();
        Path dist2 = tmp.resolve("oldkey-up/main/dists/fixture");
        AptFixture.sign(gnupg, dist2, true, "--faked-system-time", "20200101T010000");
        Path key = tmp.resolve("oldkey.asc");
        Files.writeString(key, Tools.run(tmp, "gpg", "--homedir", gnupg.toString(), "--armor", "--export").ok().out());
        Path spec = home.resolve("repo-spec/fixture.yml");
        Files.writeString(spec, Files.readString(spec).replace("keyring: '" + fx.keyring + "' }", "keyring: '" + key + "' }"));
        c = plan(home);
        assertEquals(4, c.code(), c.err());
        assertTrue(c.err().contains("repo main") && c.err().contains("its key expired on 2020-01-02"), c.err());
    }

    @Test
    void signatureByAnUnknownKeyIsExit4() throws Exception {
        Path home = serveCopy("otherkey");
        Path gnupg = tmp.resolve("otherkey-gnupg");
        Files.createDirectories(gnupg);
        Tools.run(tmp, "chmod", "700", gnupg.toString()).ok();
        Tools.run(tmp, List.of("gpg", "--homedir", gnupg.toString(), "--batch", "--pinentry-mode", "loopback", "--passphrase", "",
                "--quick-gen-key", "Intruder <x@example.invalid>", "ed25519", "sign", "never"), 60).ok();
        AptFixture.sign(gnupg, tmp.resolve("otherkey-up/extra"), false); // the flat repo: detached Release.gpg
        ElEndToEndTest.Cli c = plan(home);
        assertEquals(4, c.code(), c.err());
        assertTrue(c.err().contains("repo extra") && c.err().contains("not in the keyring"), c.err());
    }

    @Test
    void droppedDebDownloadIsResumed() throws Exception {
        Path home = serveCopy("drop");
        server.failNext("python3_3.11.2-1_amd64.deb", FileServer.Fault.DROP);
        Path work = tmp.resolve("drop-work");
        ElEndToEndTest.Cli c = cli(new String[] {"offline", "--os", "d12", "--home", home.toString(), "--cache",
                work.resolve("cache").toString(), "--repo-dir", work.resolve("www/pigsty").toString(), "--dist",
                work.resolve("dist").toString(), "--timeout", "2", "-q"});
        assertEquals(0, c.code(), c.err());
        assertTrue(server.requests().stream().filter(r -> r.contains("python3_3.11.2-1_amd64.deb")).count() >= 2, server.requests().toString());
        Tools.run(work.resolve("www/pigsty"), "sha256sum", "--strict", "-c", "repo_complete").ok();
    }

    @Test
    void urlDebIsVerifiedResolvedAndInstallable() throws Exception {
        Path home = serveCopy("url");
        Path deb = Debs.deb("urltool").version("2:0.5~beta-1").arch("all").field("Depends", "python3 (>= 3.9), tool")
                .file("/usr/bin/urltool", "#!/bin/sh\n").build(tmp.resolve("url-up/downloads"));
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(deb)));
        Path inv = tmp.resolve("url-inventory.yml");
        Files.writeString(inv, "all:\n  children: { infra: { hosts: { 10.10.10.10: {} } } }\n  vars:\n    repo_packages: [ app ]\n    repo_url_packages:\n      - { url: '"
                + server.url("downloads/" + deb.getFileName()) + "', sha256: '" + sha + "' }\n");
        Path work = tmp.resolve("url-work");
        ElEndToEndTest.Cli c = cli(new String[] {"offline", "--os", "d12", "--home", home.toString(), "-i", inv.toString(),
                "--cache", work.resolve("cache").toString(), "--repo-dir", work.resolve("www/pigsty").toString(),
                "--dist", work.resolve("dist").toString(), "--timeout", "2", "-q"});
        assertEquals(0, c.code(), c.err());
        Path tree = work.resolve("www/pigsty");
        String complete = Files.readString(tree.resolve("repo_complete"));
        assertTrue(complete.contains(sha + "  " + deb.getFileName()), complete);
        assertTrue(complete.contains("tool_1.0-1_amd64.deb"), "its dependency on tool was not resolved: " + complete);
        AptSandbox apt = new AptSandbox(work.resolve("apt"), tree, "amd64");
        apt.apt("update").ok();
        String sim = apt.apt("install", "-s", "urltool").ok().out();
        assertTrue(sim.contains("Inst urltool (2:0.5~beta-1"), sim);
        assertFalse(sim.contains("Inst tool (2.0-1"), sim);
    }
}
