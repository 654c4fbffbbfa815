package io.pigsty.offline.metadata;

import io.pigsty.offline.format.RepoFiles;
import io.pigsty.offline.format.rpm.RpmDeps;
import io.pigsty.offline.model.Checksum;
import io.pigsty.offline.model.Dep;
import io.pigsty.offline.model.Evr;
import io.pigsty.offline.model.Op;
import io.pigsty.offline.model.Package;
import io.pigsty.offline.model.Repo;
import io.pigsty.offline.model.Req;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class PackageCodecTest {
    @Test
    void roundTripsEveryField() throws Exception {
        Repo repo = new Repo("r", 5, List.of("http://127.0.0.1/"));
        Package a = new Package("a", new Evr(2, "1.0~rc1", "3.el9"), "x86_64",
                List.of(Dep.of("a", Op.EQ, new Evr(2, "1.0~rc1", "3.el9")), Dep.of("liba.so.1()(64bit)")),
                List.of(Req.atom(Dep.of("b", Op.GE, new Evr(0, "2", ""))), RpmDeps.rich("(c or (d if e else f))"),
                        RpmDeps.rich("(g with h)"), RpmDeps.rich("(i without j)"), RpmDeps.rich("(k unless l)")),
                List.of(Dep.of("x", Op.LT, new Evr(0, "1", "1"))), List.of(Dep.of("old")), List.of(Req.atom(Dep.of("docs"))),
                List.of(RpmDeps.rich("((m < 2 or m > 2) with m >= 1)")), List.of(RpmDeps.rich("(a and (lang-pl or lang-de))")),
                List.of("/usr/bin/a", "/etc/a.conf"), "Packages/a.rpm", 12345678901L,
                Checksum.sha256("ab".repeat(32)), repo, null);
        Package b = new Package("b", new Evr(0, "2", "1"), "all", List.of(Dep.of("b")),
                List.of(Req.atom(new Dep("python3", Op.ANY, Evr.NONE, "any"))), List.of(), List.of(), List.of(), List.of(),
                List.of(), List.of(), "pool/b.deb", 1, new Checksum("sha1", "cd".repeat(20)), repo, "foreign");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        RepoFiles.Parsed parsed = new RepoFiles.Parsed(List.of(a, b), List.of("repo r: left out c.x86_64 (c.rpm): bad"));
        PackageCodec.write(new DataOutputStream(bytes), parsed);
        RepoFiles.Parsed back = PackageCodec.read(bytes.toByteArray(), repo);
        assertEquals(parsed, back);
        // a dependency two packages share is one object after reading, and so is a version
        Package c = new Package("c", new Evr(0, "1", "1"), "x86_64", List.of(Dep.of("c", Op.EQ, new Evr(0, "1", "1"))),
                List.of(Req.atom(Dep.of("b", Op.GE, new Evr(0, "2", "")))), List.of(), List.of(), List.of(), List.of(), List.of(),
                List.of(), "Packages/c.rpm", 1, Checksum.sha256("ef".repeat(32)), repo, null);
        ByteArrayOutputStream shared = new ByteArrayOutputStream();
        PackageCodec.write(new DataOutputStream(shared), new RepoFiles.Parsed(List.of(a, c), List.of()));
        List<Package> two = PackageCodec.read(shared.toByteArray(), repo).packages();
        assertEquals(List.of(a, c), two);
        org.junit.jupiter.api.Assertions.assertSame(two.get(0).requires().get(0), two.get(1).requires().get(0));
        org.junit.jupiter.api.Assertions.assertSame(two.get(1).evr(), two.get(1).provides().get(0).evr());
        // long strings, from a mapped file
        RepoFiles.Parsed long_ = new RepoFiles.Parsed(List.of(a, b), List.of("x".repeat(100_000), "y".repeat(70_000)));
        ByteArrayOutputStream big = new ByteArrayOutputStream();
        PackageCodec.write(new DataOutputStream(big), long_);
        java.nio.file.Path f = java.nio.file.Files.createTempFile("codec", ".bin");
        try {
            java.nio.file.Files.write(f, big.toByteArray());
            assertEquals(long_, PackageCodec.read(f, repo, false));
        } finally {
            java.nio.file.Files.delete(f);
        }
        byte[] other = bytes.toByteArray();
        other[7] = 99; // another codec version: not an error, just "parse again"
        assertNull(PackageCodec.read(other, repo));
        byte[] cut = java.util.Arrays.copyOf(bytes.toByteArray(), bytes.size() / 2);
        org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> PackageCodec.read(cut, repo));
    }

    /**
     * A large table read from a mapped file: every package back in order, equal to what was written;
     * a file one byte too long or too short, or with a damaged byte anywhere, is refused as a whole
     * (its CRC), never half read.
     */
    @Test
    void aLargeTableIsReadWholeOrRefused() throws Exception {
        Repo repo = new Repo("r", 5, List.of("http://127.0.0.1/"));
        java.util.List<Package> pkgs = new java.util.ArrayList<>();
        int n = 15_017;
        for (int i = 0; i < n; i++)
            pkgs.add(new Package("p" + i, new Evr(0, "1." + (i % 7), "1"), "x86_64", List.of(Dep.of("libp" + i + ".so"), Dep.of("common")),
                    List.of(Req.atom(Dep.of("libc.so.6()(64bit)")), Req.atom(Dep.of("p" + (i + 1) % n, Op.GE, new Evr(0, "1", "")))),
                    List.of(), List.of(), List.of(), List.of(), List.of(), List.of("/usr/bin/p" + i), "Packages/p" + i + ".rpm", i,
                    Checksum.sha256(String.format("%064x", i)), repo, null));
        RepoFiles.Parsed parsed = new RepoFiles.Parsed(pkgs, List.of("one dropped"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PackageCodec.write(new DataOutputStream(bytes), parsed);
        java.nio.file.Path f = java.nio.file.Files.createTempFile("codec", ".bin");
        try {
            java.nio.file.Files.write(f, bytes.toByteArray());
            RepoFiles.Parsed back = PackageCodec.read(f, repo, false);
            assertEquals(parsed, back);
            // one dependency object however many packages name it
            org.junit.jupiter.api.Assertions.assertSame(back.packages().get(0).requires().get(0), back.packages().get(n - 1).requires().get(0));
            assertEquals(parsed, PackageCodec.read(bytes.toByteArray(), repo));
            byte[] longer = java.util.Arrays.copyOf(bytes.toByteArray(), bytes.size() + 1);
            org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> PackageCodec.read(longer, repo));
            java.nio.file.Files.write(f, java.util.Arrays.copyOf(bytes.toByteArray(), bytes.size() - 1));
            org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> PackageCodec.read(f, repo, false));
            java.util.Random rnd = new java.util.Random(3);
            for (int k = 0; k < 40; k++) {
                byte[] bad = bytes.toByteArray();
                int at = 8 + rnd.nextInt(bad.length - 8 - 8);
                bad[at] ^= (byte) (1 + rnd.nextInt(255));
                org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> PackageCodec.read(bad, repo),
                        "a damaged byte at " + at);
            }
        } finally {
            java.nio.file.Files.delete(f);
        }
    }
}
