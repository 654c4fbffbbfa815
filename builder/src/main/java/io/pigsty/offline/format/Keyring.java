package io.pigsty.offline.format;

import io.pigsty.offline.model.Log;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.jcajce.JcaKeyFingerprintCalculator;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * OpenPGP public keys read from keyring files (binary, as in /usr/share/keyrings, or ASCII-armored,
 * as RPM-GPG-KEY files are): what apt Release files and RPM signatures are checked with.
 */
public final class Keyring {
    private final PGPPublicKeyRingCollection keys;

    private Keyring(PGPPublicKeyRingCollection keys) {
        this.keys = keys;
    }

    public static Keyring read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in, file.toString());
        }
    }

    /** The keys of an armored or binary key block held in memory (the bundle's own public key). */
    public static Keyring of(byte[] block, String what) throws IOException {
        return parse(new ByteArrayInputStream(block), what);
    }

    private static Keyring parse(InputStream raw, String what) throws IOException {
        try (InputStream in = PGPUtil.getDecoderStream(raw)) {
            PGPPublicKeyRingCollection c = new PGPPublicKeyRingCollection(in, new JcaKeyFingerprintCalculator());
            if (c.size() == 0) throw new IOException("holds no OpenPGP public key");
            return new Keyring(c);
        } catch (PGPException | IOException | RuntimeException e) {
            throw new IOException(what + " is not an OpenPGP public keyring: " + e.getMessage(), e);
        }
    }

    /**
     * The keys of every file. One that cannot be read (a stray file in a host's trusted.gpg.d) is
     * skipped with a warning, as apt skips it; with none readable there is nothing to trust.
     */
    public static Keyring read(List<Path> files, Log log) throws IOException {
        List<Keyring> read = new ArrayList<>();
        for (Path f : files) {
            try {
                read.add(read(f));
            } catch (IOException e) {
                log.warn("skipping keyring " + f + ": " + e.getMessage());
            }
        }
        if (read.isEmpty()) throw new IOException("none of the keyrings " + files + " can be read");
        return union(read);
    }

    /** The keys of all, each key once. */
    public static Keyring union(List<Keyring> rings) {
        List<PGPPublicKeyRing> out = new ArrayList<>();
        Set<Long> ids = new HashSet<>();
        for (Keyring k : rings)
            for (PGPPublicKeyRing r : k.keys) if (ids.add(r.getPublicKey().getKeyID())) out.add(r);
        return new Keyring(new PGPPublicKeyRingCollection(out));
    }

    /** The key (primary or subkey) with this ID, or null. */
    public PGPPublicKey key(long keyId) {
        return keys.getPublicKey(keyId);
    }

    /** The certificate a key (primary or subkey) belongs to, armored: what a target imports to check with it. */
    public String certificate(long keyId) {
        PGPPublicKeyRing ring = keys.getPublicKeyRing(keyId);
        return BundleKey.armor(out -> ring.encode(out, true));
    }

    /** The ID of the primary key a key (primary or subkey) belongs to. */
    public long primary(long keyId) {
        return keys.getPublicKeyRing(keyId).getPublicKey().getKeyID();
    }

    public static String id(long keyId) {
        return String.format("%016X", keyId);
    }

    /**
     * Why a signature is refused whatever it signs, or null: a weak hash (MD5, SHA-1, which apt and
     * the EL 9+ crypto policies refuse), or a key that is revoked or expired now.
     */
    public static String refusal(PGPSignature sig, PGPPublicKey key) {
        int h = sig.getHashAlgorithm();
        if (h == HashAlgorithmTags.MD5 || h == HashAlgorithmTags.SHA1)
            return "signed with " + (h == HashAlgorithmTags.MD5 ? "MD5" : "SHA-1") + ", which apt refuses (and rpm on EL 9 and later)";
        if (key.hasRevocation()) return "its key is revoked";
        long valid = key.getValidSeconds();
        if (valid > 0 && key.getCreationTime().toInstant().plusSeconds(valid).isBefore(Instant.now()))
            return "its key expired on " + key.getCreationTime().toInstant().plusSeconds(valid);
        return null;
    }
}
