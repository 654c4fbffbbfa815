package io.pigsty.launcher;

import io.pigsty.bundle.BundleLayout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A bundle's signature checked against a key the host trusts, by the host's own {@code gpgv} (on
 * every Debian, Ubuntu and EL install: apt and dnf verify with it), before any hash in
 * {@code repo_complete} is believed.
 */
final class Signed {
    private Signed() {}

    /**
     * Refuses unless {@code signature} is a good signature of {@code complete} by {@code trusted}
     * (an armored or binary public key file).
     */
    static void check(byte[] complete, byte[] signature, Path trusted, String where) throws IOException {
        if (signature == null)
            throw new Bundle.Invalid(where + " is not signed (no " + BundleLayout.COMPLETE_SIGNATURE + "), and this host trusts only bundles"
                    + " signed by " + trusted + ": build it with --sign-key, or run without a trusted key");
        Path dir = Files.createTempDirectory("pigsty-verify");
        try {
            Path key = dir.resolve("trusted.gpg"), data = dir.resolve(BundleLayout.COMPLETE), sig = dir.resolve(BundleLayout.COMPLETE_SIGNATURE);
            Files.write(key, binary(Files.readAllBytes(trusted), trusted));
            Files.write(data, complete);
            Files.write(sig, signature);
            Process p;
            try {
                p = new ProcessBuilder(List.of("gpgv", "--keyring", key.toString(), sig.toString(), data.toString()))
                        .redirectErrorStream(true).start();
            } catch (IOException e) {
                throw new IOException("gpgv is needed to check the bundle's signature and is not installed (package gpgv or gnupg2)", e);
            }
            String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            boolean ended;
            try {
                ended = p.waitFor(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while checking the signature");
            }
            if (!ended) {
                p.destroyForcibly();
                throw new IOException("gpgv did not finish in 60 s");
            }
            if (p.exitValue() != 0)
                throw new Bundle.Invalid(where + ": " + BundleLayout.COMPLETE_SIGNATURE + " is not a good signature by the trusted key "
                        + trusted + " (tampered, or signed by another key):\n  " + said.trim().replace("\n", "\n  "));
        } finally {
            try (var s = Files.list(dir)) {
                for (Path f : s.toList()) Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        }
    }

    /** The key as gpgv reads it: binary packets (gpgv 2.2 reads no armor). */
    static byte[] binary(byte[] key, Path where) throws Bundle.Invalid {
        if (key.length > 0 && (key[0] & 0x80) != 0) return key; // already binary OpenPGP packets
        String text = new String(key, StandardCharsets.US_ASCII);
        int begin = text.indexOf("-----BEGIN PGP PUBLIC KEY BLOCK-----");
        int end = text.indexOf("-----END PGP PUBLIC KEY BLOCK-----");
        if (text.contains("-----BEGIN PGP PRIVATE KEY BLOCK-----"))
            throw new Bundle.Invalid(where + " is a secret key: trust the public one (the .asc build keygen wrote, or gpg --armor --export),"
                    + " and keep the secret key off the hosts");
        if (begin < 0 || end < begin) throw new Bundle.Invalid(where + " is not an OpenPGP public key");
        StringBuilder b64 = new StringBuilder();
        boolean body = false;
        for (String line : text.substring(begin, end).split("\r?\n")) {
            if (!body) {
                body = line.isBlank(); // armor headers end at the first empty line
                continue;
            }
            if (line.startsWith("=")) break; // the CRC line
            b64.append(line.trim());
        }
        try {
            return Base64.getDecoder().decode(b64.toString());
        } catch (IllegalArgumentException e) {
            throw new Bundle.Invalid(where + " is not an OpenPGP public key (bad armor: " + e.getMessage() + ")");
        }
    }
}
