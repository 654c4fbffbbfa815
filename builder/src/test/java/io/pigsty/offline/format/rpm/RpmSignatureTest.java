package io.pigsty.offline.format.rpm;

import io.pigsty.offline.fixtures.Rpms;
import io.pigsty.offline.fixtures.Tools;
import io.pigsty.offline.fixtures.YumFixture;
import io.pigsty.offline.format.BundleKey;
import io.pigsty.offline.format.Format;
import io.pigsty.offline.format.Keyring;
import io.pigsty.offline.model.MetadataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RPM signatures read and written here, judged by the real rpm: what rpmsign writes verifies with
 * the signer's key and not with another; a changed header or payload is caught; what we sign,
 * rpmkeys accepts with only our public key; a hostile signature header is refused, not believed.
 */
class RpmSignatureTest {
    @TempDir
    Path tmp;

    private static final RpmFormat RPM = RpmFormat.INSTANCE;

    @Test
    void rpmsignSignaturesVerifyAndChangesAreCaught() throws Exception {
        Path gnupg = tmp.resolve("gpg"), dir = Files.createDirectories(tmp.resolve("pkgs"));
        Files.writeString(tmp.resolve("vendor.asc"), YumFixture.vendorKey(gnupg, "Vendor <vendor@example.invalid>"));
        Path signed = Rpms.rpm("app").version("1.0").file("/usr/bin/app", "app".repeat(5000)).build(dir);
        Path unsigned = Rpms.rpm("plain").version("1.0").file("/usr/bin/plain", "plain").build(tmp);
        YumFixture.rpmsign(gnupg, dir);
        Keyring vendor = Keyring.read(tmp.resolve("vendor.asc"));
        Format.PackageSignature ok = RPM.checkSignature(signed, "app.rpm", vendor);
        assertEquals(Format.PackageSignature.Status.VERIFIED, ok.status());
        assertEquals(Format.PackageSignature.Status.UNSIGNED, RPM.checkSignature(unsigned, "plain.rpm", vendor).status());

        BundleKey.Pair other = BundleKey.generate("Other <o@example.invalid>", new char[0], new Date(1700000000000L));
        Format.PackageSignature unknown = RPM.checkSignature(signed, "app.rpm",
                Keyring.of(other.publicArmored().getBytes(), "other"));
        assertEquals(Format.PackageSignature.Status.UNKNOWN_KEY, unknown.status());
        assertEquals(Keyring.id(ok.keyId()), unknown.detail());

        byte[] good = Files.readAllBytes(signed);
        // the summary, inside the signed header
        byte[] header = good.clone();
        int at = indexOf(header, "fixture package app".getBytes());
        assertTrue(at > 0, "the fixture's summary");
        header[at] = 'A';
        Path h = Files.write(tmp.resolve("header.rpm"), header);
        MetadataException bad = assertThrows(MetadataException.class, () -> RPM.checkSignature(h, "header.rpm", vendor));
        assertTrue(bad.getMessage().contains("does not verify"), bad.getMessage());
        // the payload, covered through the signed header's payload digest
        byte[] payload = good.clone();
        payload[payload.length - 30] ^= 1;
        Path p = Files.write(tmp.resolve("payload.rpm"), payload);
        bad = assertThrows(MetadataException.class, () -> RPM.checkSignature(p, "payload.rpm", vendor));
        assertTrue(bad.getMessage().contains("payload does not match"), bad.getMessage());
        // rpm agrees on both
        Path db = Files.createDirectories(tmp.resolve("db"));
        Tools.run(tmp, "rpmkeys", "--dbpath", db.toString(), "--import", tmp.resolve("vendor.asc").toString()).ok();
        assertTrue(Tools.run(tmp, "rpmkeys", "--dbpath", db.toString(), "-K", signed.toString()).ok().out().contains("signatures OK"));
        for (Path x : List.of(h, p)) assertTrue(Tools.run(tmp, "rpmkeys", "--dbpath", db.toString(), "-K", x.toString()).code() != 0, x.toString());
    }

    @Test
    void whatWeSignRpmAcceptsWithOnlyOurKeyAndTheBytesRepeat() throws Exception {
        BundleKey.Pair pair = BundleKey.generate("Bundle <b@example.invalid>", new char[0], new Date(1700000000000L));
        Files.writeString(tmp.resolve("b.key"), pair.secretArmored());
        Files.writeString(tmp.resolve("b.asc"), pair.publicArmored());
        BundleKey key = BundleKey.load(tmp.resolve("b.key"), new char[0]);
        Path one = Rpms.rpm("launcher").version("1.0").arch("noarch").file("/usr/bin/launcher", "x").build(Files.createDirectories(tmp.resolve("1")));
        Path two = Files.copy(one, Files.createDirectories(tmp.resolve("2")).resolve(one.getFileName()));
        RPM.signPackage(one, key, 1700000100L);
        RPM.signPackage(two, key, 1700000100L);
        assertArrayEquals(Files.readAllBytes(one), Files.readAllBytes(two));
        assertEquals(Format.PackageSignature.Status.VERIFIED, RPM.checkSignature(one, "launcher.rpm", Keyring.read(tmp.resolve("b.asc"))).status());
        Path db = Files.createDirectories(tmp.resolve("db"));
        String before = Tools.run(tmp, "rpmkeys", "--dbpath", db.toString(), "-Kv", one.toString()).out();
        assertTrue(before.contains("NOKEY"), before);
        Tools.run(tmp, "rpmkeys", "--dbpath", db.toString(), "--import", tmp.resolve("b.asc").toString()).ok();
        String after = Tools.run(tmp, "rpmkeys", "--dbpath", db.toString(), "-Kv", one.toString()).ok().out();
        assertTrue(after.contains("Header V4 RSA/SHA256 Signature") && after.contains(": OK") && !after.contains("BAD"), after);
        // signed again (a rebuild): one signature, not two
        RPM.signPackage(one, key, 1700000100L);
        assertArrayEquals(Files.readAllBytes(two), Files.readAllBytes(one));
    }

    @Test
    void aHostileSignatureHeaderIsRefusedNotBelieved() throws Exception {
        Path rpm = Rpms.rpm("x").version("1").file("/usr/bin/x", "x").build(tmp);
        byte[] b = Files.readAllBytes(rpm);
        ByteBuffer.wrap(b, 96 + 8, 8).putInt(Integer.MAX_VALUE).putInt(Integer.MAX_VALUE); // entries, data size
        Path hostile = Files.write(tmp.resolve("hostile.rpm"), b);
        MetadataException e = assertThrows(MetadataException.class, () -> RPM.checkSignature(hostile, "hostile.rpm",
                Keyring.union(List.of())));
        assertTrue(e.getMessage().contains("more than the file holds"), e.getMessage());
        Path cut = Files.write(tmp.resolve("cut.rpm"), java.util.Arrays.copyOf(Files.readAllBytes(rpm), 100));
        e = assertThrows(MetadataException.class, () -> RPM.checkSignature(cut, "cut.rpm", Keyring.union(List.of())));
        assertTrue(e.getMessage().contains("cut.rpm"), e.getMessage());
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }
}
