package io.pigsty.offline.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/** A content checksum as upstream metadata states it; {@code algo} is a JDK MessageDigest name. */
public record Checksum(String algo, String hex) {

    public Checksum {
        algo = normalize(algo);
        hex = hex.trim();
        // one pass over what is already lower-case hex (every checksum the parsed cache hands back)
        boolean ok = hex.length() == expectedLength(algo) && lowerHex(hex);
        if (!ok) {
            hex = hex.toLowerCase(Locale.ROOT);
            ok = hex.length() == expectedLength(algo) && lowerHex(hex);
        }
        if (!ok)
            throw new IllegalArgumentException("malformed " + algo + " checksum '" + hex + "'");
    }

    /** Written out, not generated: see {@link Dep#equals}. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Checksum c && algo.equals(c.algo) && hex.equals(c.hex);
    }

    @Override
    public int hashCode() {
        return algo.hashCode() * 31 + hex.hashCode();
    }

    /** A plain loop, not a regex: every package of a warm plan's universe is checked here. */
    private static boolean lowerHex(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) return false;
        }
        return true;
    }

    public static Checksum sha256(String hex) {
        return new Checksum("SHA-256", hex);
    }

    /** Maps metadata spellings ({@code sha256}, {@code sha}, {@code SHA512}...) to JDK digest names. */
    public static String normalize(String algo) {
        switch (algo) { // already a JDK name: every package read back from the parsed cache
            case "SHA-1", "SHA-224", "SHA-256", "SHA-384", "SHA-512", "MD5":
                return algo;
            default:
        }
        String a = algo.toLowerCase(Locale.ROOT).replace("-", "");
        return switch (a) {
            case "sha", "sha1" -> "SHA-1";
            case "sha224" -> "SHA-224";
            case "sha256" -> "SHA-256";
            case "sha384" -> "SHA-384";
            case "sha512" -> "SHA-512";
            case "md5", "md5sum" -> "MD5";
            default -> throw new IllegalArgumentException("unsupported checksum type '" + algo + "'");
        };
    }

    private static int expectedLength(String algo) {
        return switch (algo) {
            case "SHA-1" -> 40;
            case "SHA-224" -> 56;
            case "SHA-256" -> 64;
            case "SHA-384" -> 96;
            case "SHA-512" -> 128;
            default -> 32;
        };
    }

    /** A fresh digest for {@code algo} (a JDK name, as {@link #algo()} holds). */
    public static MessageDigest digest(String algo) {
        try {
            return MessageDigest.getInstance(algo);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks " + algo, e);
        }
    }

    /** The {@code algo} digest of {@code data}, as lower-case hex. */
    public static String hex(String algo, byte[] data) {
        return HexFormat.of().formatHex(digest(algo).digest(data));
    }

    /** The sha256 of {@code data}, as lower-case hex. */
    public static String sha256Hex(byte[] data) {
        return hex("SHA-256", data);
    }

    /** The sha256 of a file, as lower-case hex. */
    public static String sha256Of(Path file) throws IOException {
        MessageDigest md = digest("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) md.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    public boolean isSha256() {
        return algo.equals("SHA-256");
    }

    /** Short lower-case spelling used in metadata files ({@code sha256}). */
    public String metadataName() {
        return algo.toLowerCase(Locale.ROOT).replace("-", "");
    }

    @Override
    public String toString() {
        return metadataName() + ":" + hex;
    }
}
