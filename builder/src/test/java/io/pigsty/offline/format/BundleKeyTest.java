package io.pigsty.offline.format;

import io.pigsty.offline.fixtures.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Keys made and signatures written by BundleKey, judged by real gpg and gpgv with only the public key. */
class BundleKeyTest {
    @TempDir
    Path tmp;

    @Test
    void signaturesVerifyWithGpgAndGpgvAndRepeatByteForByte() throws Exception {
        Tools.require("gpg", "gpgv");
        BundleKey.Pair pair = BundleKey.generate("Pigsty bundle test <test@example.invalid>", "s3cret".toCharArray(), new Date(1700000000000L));
        Path sec = tmp.resolve("sign.key"), pub = tmp.resolve("sign.asc");
        Files.writeString(sec, pair.secretArmored());
        Files.writeString(pub, pair.publicArmored());
        BundleKey.KeyException wrong = assertThrows(BundleKey.KeyException.class, () -> BundleKey.load(sec, "nope".toCharArray()));
        assertTrue(wrong.getMessage().contains("wrong passphrase"), wrong.getMessage());
        BundleKey key = BundleKey.load(sec, "s3cret".toCharArray());
        assertEquals(pair.fingerprint(), key.fingerprint());
        assertTrue(key.publicKeyArmored().startsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----"));

        byte[] data = "payload\n".repeat(1000).getBytes(StandardCharsets.UTF_8);
        Files.write(tmp.resolve("data"), data);
        byte[] sig = key.detached(new ByteArrayInputStream(data), 1700000100L);
        Files.write(tmp.resolve("data.asc"), sig);
        assertArrayEquals(sig, key.detached(new ByteArrayInputStream(data), 1700000100L), "the same inputs sign to the same bytes");

        String release = "Origin: pigsty\nLabel: pigsty\nSuite: ./\nSHA256:\n abc 12 Packages  \n-dash line\n\nend\n";
        Files.write(tmp.resolve("InRelease"), key.clearsign(release, 1700000100L));

        Path home = Files.createDirectories(tmp.resolve("gnupg"));
        Files.setPosixFilePermissions(home, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        List<String> gpg = List.of("gpg", "--homedir", home.toString(), "--batch");
        Tools.run(tmp, concat(gpg, "--import", pub.toString()), 60).ok();
        Tools.run(tmp, concat(gpg, "--verify", "data.asc", "data"), 60).ok();
        String out = Tools.run(tmp, concat(gpg, "--output", "-", "--verify", "InRelease"), 60).ok().out();
        assertTrue(out.contains("-dash line") && out.contains("Good signature"), out);
        Tools.run(tmp, concat(gpg, "--output", "dearmored.gpg", "--dearmor", pub.toString()), 60).ok();
        Tools.run(tmp, List.of("gpgv", "--keyring", tmp.resolve("dearmored.gpg").toString(), "InRelease"), 60).ok();

        // one byte changed: refused
        data[10] ^= 1;
        Files.write(tmp.resolve("data"), data);
        assertTrue(Tools.run(tmp, concat(gpg, "--verify", "data.asc", "data"), 60).code() != 0);
    }

    private static List<String> concat(List<String> a, String... b) {
        List<String> out = new java.util.ArrayList<>(a);
        out.addAll(List.of(b));
        return out;
    }
}
