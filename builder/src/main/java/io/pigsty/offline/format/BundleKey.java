package io.pigsty.offline.format;

import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.BCPGOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPKeyRingGenerator;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRingCollection;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.PGPDigestCalculator;
import org.bouncycastle.openpgp.operator.jcajce.JcaKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPDigestCalculatorProviderBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPKeyPair;
import org.bouncycastle.openpgp.operator.jcajce.JcePBESecretKeyDecryptorBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcePBESecretKeyEncryptorBuilder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Date;
import java.util.HexFormat;
import java.util.Iterator;

/**
 * The OpenPGP key a bundle is signed with (BouncyCastle). Signatures carry the build's fixed time
 * (or the key's creation, if later) and RSA signatures are deterministic, so the same key and inputs
 * sign to the same bytes. SHA-256: apt and gpg refuse SHA-1, and the JDK's SHA-256 runs on the CPU's
 * SHA instructions (a 900 MiB tarball signs as fast as gpg signs it; SHA-512 took twice as long).
 */
public final class BundleKey {
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();
    private static final int HASH = HashAlgorithmTags.SHA256;

    private final PGPSecretKey secret;
    private final PGPPrivateKey key;
    private final PGPPublicKeyRing publicRing;

    private BundleKey(PGPSecretKey secret, PGPPrivateKey key, PGPPublicKeyRing publicRing) {
        this.secret = secret;
        this.key = key;
        this.publicRing = publicRing;
    }

    /** Why a key cannot be used: names the file and what to do. */
    public static final class KeyException extends IOException {
        KeyException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * The first signing key of an OpenPGP secret key file (armored or binary, as {@code gpg
     * --export-secret-keys} writes it), unlocked with {@code passphrase} (empty for none).
     */
    public static BundleKey load(Path file, char[] passphrase) throws IOException {
        PGPSecretKeyRingCollection rings;
        try (InputStream in = PGPUtil.getDecoderStream(Files.newInputStream(file))) {
            rings = new PGPSecretKeyRingCollection(in, new JcaKeyFingerprintCalculator());
        } catch (PGPException | IOException | RuntimeException e) {
            throw new KeyException(file + " is not an OpenPGP secret key (" + e.getMessage()
                    + "); export one with gpg --armor --export-secret-keys, or make one with build keygen", e);
        }
        for (Iterator<PGPSecretKeyRing> r = rings.getKeyRings(); r.hasNext(); ) {
            PGPSecretKeyRing ring = r.next();
            for (Iterator<PGPSecretKey> k = ring.getSecretKeys(); k.hasNext(); ) {
                PGPSecretKey s = k.next();
                if (!s.isSigningKey() || s.isPrivateKeyEmpty()) continue;
                try {
                    PGPPrivateKey priv = s.extractPrivateKey(new JcePBESecretKeyDecryptorBuilder(
                            new JcaPGPDigestCalculatorProviderBuilder().setProvider(BC).build()).setProvider(BC).build(passphrase));
                    return new BundleKey(s, priv, publicRing(ring));
                } catch (PGPException e) {
                    throw new KeyException(file + ": cannot unlock the secret key " + fingerprint(s.getPublicKey())
                            + " (wrong passphrase? give it in PIGSTY_SIGN_PASSPHRASE or --sign-passphrase-file)", e);
                }
            }
        }
        throw new KeyException(file + " holds no secret key that can sign", null);
    }

    private static PGPPublicKeyRing publicRing(PGPSecretKeyRing ring) {
        java.util.List<PGPPublicKey> keys = new java.util.ArrayList<>();
        for (Iterator<PGPPublicKey> it = ring.getPublicKeys(); it.hasNext(); ) keys.add(it.next());
        return new PGPPublicKeyRing(keys);
    }

    /** An armored secret and public key pair, as {@code build keygen} writes them. */
    public record Pair(String secretArmored, String publicArmored, String fingerprint) {}

    /** A new RSA 3072 signing key for {@code userId}, locked with {@code passphrase} unless it is empty. */
    public static Pair generate(String userId, char[] passphrase, Date created) throws IOException {
        try {
            KeyPairGenerator kpg = KeyPairGenerator.getInstance("RSA");
            kpg.initialize(3072);
            PGPKeyPair pair = new JcaPGPKeyPair(PublicKeyAlgorithmTags.RSA_GENERAL, kpg.generateKeyPair(), created);
            PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
            hashed.setKeyFlags(false, KeyFlags.SIGN_DATA | KeyFlags.CERTIFY_OTHER);
            hashed.setPreferredHashAlgorithms(false, new int[] {HashAlgorithmTags.SHA512, HashAlgorithmTags.SHA256});
            PGPDigestCalculator sha1 = new JcaPGPDigestCalculatorProviderBuilder().setProvider(BC).build().get(HashAlgorithmTags.SHA1);
            PGPKeyRingGenerator gen = new PGPKeyRingGenerator(PGPSignature.POSITIVE_CERTIFICATION, pair, userId, sha1,
                    hashed.generate(), null, new JcaPGPContentSignerBuilder(pair.getPublicKey().getAlgorithm(), HASH).setProvider(BC),
                    passphrase.length == 0 ? null : new JcePBESecretKeyEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256, sha1)
                            .setProvider(BC).build(passphrase));
            PGPSecretKeyRing sec = gen.generateSecretKeyRing();
            return new Pair(armor(sec::encode), armor(gen.generatePublicKeyRing()::encode), fingerprint(pair.getPublicKey()));
        } catch (PGPException | NoSuchAlgorithmException e) {
            throw new IOException("cannot make a key pair: " + e.getMessage(), e);
        }
    }

    public String fingerprint() {
        return fingerprint(secret.getPublicKey());
    }

    private static String fingerprint(PGPPublicKey k) {
        return HexFormat.of().withUpperCase().formatHex(k.getFingerprint());
    }

    /** The public key, armored: what a target trusts (shipped as {@code pigsty/keys/pigsty-bundle.asc}). */
    public String publicKeyArmored() {
        return armor(publicRing::encode);
    }

    /** An armored detached signature of {@code data}, made at {@code time} (seconds since the epoch). */
    public byte[] detached(InputStream data, long time) throws IOException {
        PGPSignature sig = sign(data, time);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ArmoredOutputStream a = armored(out)) {
            sig.encode(new BCPGOutputStream(a));
        }
        return out.toByteArray();
    }

    /** The binary signature packet over {@code data}, as an RPM signature header holds it. */
    public byte[] packet(InputStream data, long time) throws IOException {
        return sign(data, time).getEncoded();
    }

    private PGPSignature sign(InputStream data, long time) throws IOException {
        PGPSignatureGenerator g = generator(PGPSignature.BINARY_DOCUMENT, time);
        byte[] buf = new byte[1 << 16];
        for (int n; (n = data.read(buf)) > 0; ) g.update(buf, 0, n);
        try {
            return g.generate();
        } catch (PGPException e) {
            throw new IOException("cannot sign: " + e.getMessage(), e);
        }
    }

    /**
     * {@code text} cleartext-signed (RFC 4880 7.1), as an InRelease is: lines dash-escaped (by the
     * armored stream), the signature over them with trailing blanks removed and CRLF between lines.
     */
    public byte[] clearsign(String text, long time) throws IOException {
        PGPSignatureGenerator g = generator(PGPSignature.CANONICAL_TEXT_DOCUMENT, time);
        String[] lines = text.split("\n", -1);
        int n = text.endsWith("\n") ? lines.length - 1 : lines.length;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ArmoredOutputStream a = armored(out)) {
            a.beginClearText(HASH);
            for (int i = 0; i < n; i++) {
                String line = lines[i];
                byte[] b = line.getBytes(StandardCharsets.UTF_8); // the stream dash-escapes lines itself
                a.write(b);
                a.write('\n');
                if (i > 0) g.update(new byte[] {'\r', '\n'});
                g.update(line.replaceAll("[ \t\r]+$", "").getBytes(StandardCharsets.UTF_8));
            }
            a.endClearText();
            g.generate().encode(new BCPGOutputStream(a));
        } catch (PGPException e) {
            throw new IOException("cannot sign: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    private PGPSignatureGenerator generator(int type, long time) throws IOException {
        try {
            PGPSignatureGenerator g = new PGPSignatureGenerator(
                    // the JDK's own digest and RSA, not BouncyCastle's pure-Java digest (three times slower here)
                    new JcaPGPContentSignerBuilder(secret.getPublicKey().getAlgorithm(), HASH), secret.getPublicKey());
            g.init(type, key);
            PGPSignatureSubpacketGenerator sub = new PGPSignatureSubpacketGenerator();
            // the build's fixed time, but never before the key existed: gpg and apt refuse such a signature
            long created = secret.getPublicKey().getCreationTime().getTime();
            sub.setSignatureCreationTime(false, new Date(Math.max(time * 1000, created)));
            sub.setIssuerFingerprint(false, secret);
            sub.setIssuerKeyID(false, secret.getKeyID()); // rpm finds the key by this ID, hashed or not
            g.setHashedSubpackets(sub.generate());
            return g;
        } catch (PGPException e) {
            throw new IOException("cannot sign with " + fingerprint() + ": " + e.getMessage(), e);
        }
    }

    private static ArmoredOutputStream armored(OutputStream out) {
        ArmoredOutputStream a = ArmoredOutputStream.builder().clearHeaders().build(out);
        return a;
    }

    interface Encoder {
        void encode(OutputStream out) throws IOException;
    }

    /** What {@code e} writes, ASCII-armored with no headers (the one armor of keys and signatures made here). */
    static String armor(Encoder e) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ArmoredOutputStream a = armored(out)) {
            e.encode(a);
        } catch (IOException x) {
            throw new IllegalStateException(x);
        }
        return out.toString(StandardCharsets.US_ASCII);
    }
}
