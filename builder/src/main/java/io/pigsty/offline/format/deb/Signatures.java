package io.pigsty.offline.format.deb;

import io.pigsty.offline.model.Log;
import io.pigsty.offline.model.MetadataException;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.jcajce.JcaPGPObjectFactory;
import org.bouncycastle.openpgp.operator.jcajce.JcaKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentVerifierBuilderProvider;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * OpenPGP checks of apt Release files with BouncyCastle: an InRelease (cleartext-signed) or a Release
 * with its detached Release.gpg, against the public keys of a keyring file (binary, as in
 * /usr/share/keyrings, or ASCII-armored). Only the text that was verified is handed back.
 */
final class Signatures {
    private Signatures() {}

    static PGPPublicKeyRingCollection keyring(Path file) throws IOException {
        try (InputStream in = PGPUtil.getDecoderStream(Files.newInputStream(file))) {
            PGPPublicKeyRingCollection c = new PGPPublicKeyRingCollection(in, new JcaKeyFingerprintCalculator());
            if (c.size() == 0) throw new IOException("holds no OpenPGP public key");
            return c;
        } catch (NoSuchFileException e) {
            throw e;
        } catch (PGPException | IOException | RuntimeException e) {
            throw new IOException(file + " is not an OpenPGP public keyring: " + e.getMessage(), e);
        }
    }

    /**
     * The keys of every keyring. One that cannot be read (a stray file in a host's trusted.gpg.d) is
     * skipped with a warning, as apt skips it; with none readable there is nothing to trust.
     */
    static PGPPublicKeyRingCollection keyring(List<Path> files, Log log) throws IOException {
        List<PGPPublicKeyRing> rings = new ArrayList<>();
        java.util.Set<Long> ids = new java.util.HashSet<>();
        int read = 0;
        for (Path f : files) {
            PGPPublicKeyRingCollection c;
            try {
                c = keyring(f);
            } catch (IOException e) {
                log.warn("skipping keyring " + f + ": " + e.getMessage());
                continue;
            }
            read++;
            for (PGPPublicKeyRing r : c) if (ids.add(r.getPublicKey().getKeyID())) rings.add(r);
        }
        if (read == 0) throw new IOException("none of the keyrings " + files + " can be read");
        return new PGPPublicKeyRingCollection(rings);
    }

    /**
     * The signed text of a cleartext-signed InRelease (dash-escaping undone, lines ending in \n),
     * verified against {@code keys}; with no keys (a repo marked trusted) the text is returned
     * unchecked, and a message that is not signed at all is taken as it is. Throws when no
     * signature verifies with a key of {@code keys}.
     */
    static String clearSigned(byte[] inRelease, PGPPublicKeyRingCollection keys, String where) throws MetadataException {
        List<String> lines = new String(inRelease, StandardCharsets.UTF_8).lines().toList();
        int i = 0;
        if (lines.isEmpty() || !lines.get(0).equals("-----BEGIN PGP SIGNED MESSAGE-----")) {
            if (keys == null) return new String(inRelease, StandardCharsets.UTF_8);
            throw new MetadataException(where + ": InRelease is not a signed message");
        }
        while (++i < lines.size() && !lines.get(i).isEmpty()) { } // armor headers ("Hash: SHA256")
        List<String> text = new ArrayList<>();
        for (i++; i < lines.size() && !lines.get(i).equals("-----BEGIN PGP SIGNATURE-----"); i++) {
            String l = lines.get(i);
            text.add(l.startsWith("- ") ? l.substring(2) : l);
        }
        if (keys != null) {
            if (i >= lines.size()) throw new MetadataException(where + ": InRelease has no signature block");
            StringBuilder armored = new StringBuilder();
            for (; i < lines.size(); i++) armored.append(lines.get(i)).append('\n');
            // The signed form: each line without trailing whitespace, lines joined by CRLF, no final newline.
            StringBuilder canonical = new StringBuilder();
            for (int k = 0; k < text.size(); k++) {
                if (k > 0) canonical.append("\r\n");
                canonical.append(text.get(k).stripTrailing());
            }
            verify(signatures(armored.toString().getBytes(StandardCharsets.US_ASCII), where),
                    canonical.toString().getBytes(StandardCharsets.UTF_8), keys, where);
        }
        StringBuilder out = new StringBuilder();
        for (String l : text) out.append(l).append('\n');
        return out.toString();
    }

    /** Verifies a detached signature (Release.gpg) over {@code data}. */
    static void verifyDetached(byte[] data, byte[] signature, PGPPublicKeyRingCollection keys, String where) throws MetadataException {
        verify(signatures(signature, where), data, keys, where);
    }

    private static PGPSignatureList signatures(byte[] armoredOrBinary, String where) throws MetadataException {
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(armoredOrBinary))) {
            Object o = new JcaPGPObjectFactory(in).nextObject();
            if (o instanceof PGPSignatureList list && !list.isEmpty()) return list;
        } catch (IOException | RuntimeException e) {
            throw new MetadataException(where + ": unreadable signature: " + e.getMessage(), e);
        }
        throw new MetadataException(where + ": no OpenPGP signature found");
    }

    private static void verify(PGPSignatureList sigs, byte[] data, PGPPublicKeyRingCollection keys, String where)
            throws MetadataException {
        List<String> seen = new ArrayList<>();
        for (PGPSignature sig : sigs) {
            String id = String.format("%016X", sig.getKeyID());
            PGPPublicKey key = keys.getPublicKey(sig.getKeyID());
            if (key == null) {
                seen.add(id + " (not in the keyring)");
                continue;
            }
            String weak = refusal(sig, key);
            if (weak != null) {
                seen.add(id + " (" + weak + ")");
                continue;
            }
            try {
                sig.init(new JcaPGPContentVerifierBuilderProvider(), key);
                sig.update(sig.getSignatureType() == PGPSignature.CANONICAL_TEXT_DOCUMENT ? canonicalText(data) : data);
                if (sig.verify()) return;
                seen.add(id + " (BAD signature)");
            } catch (PGPException | RuntimeException e) {
                seen.add(id + " (" + e.getMessage() + ")");
            }
        }
        throw new MetadataException(where + ": Release signature does not verify: " + String.join(", ", seen));
    }

    /**
     * Why apt would refuse this signature whatever it signs, or null: a weak hash (MD5, SHA-1), or a
     * key that is revoked or expired now.
     */
    private static String refusal(PGPSignature sig, PGPPublicKey key) {
        int h = sig.getHashAlgorithm();
        if (h == org.bouncycastle.bcpg.HashAlgorithmTags.MD5 || h == org.bouncycastle.bcpg.HashAlgorithmTags.SHA1)
            return "signed with " + (h == org.bouncycastle.bcpg.HashAlgorithmTags.MD5 ? "MD5" : "SHA-1") + ", which apt refuses";
        if (key.hasRevocation()) return "its key is revoked";
        long valid = key.getValidSeconds();
        if (valid > 0 && key.getCreationTime().toInstant().plusSeconds(valid).isBefore(java.time.Instant.now()))
            return "its key expired on " + key.getCreationTime().toInstant().plusSeconds(valid);
        return null;
    }

    /** Text signatures over a detached file sign its lines with CRLF endings. */
    private static byte[] canonicalText(byte[] data) {
        String s = new String(data, StandardCharsets.UTF_8);
        StringBuilder b = new StringBuilder();
        List<String> lines = s.lines().toList();
        for (int k = 0; k < lines.size(); k++) {
            if (k > 0) b.append("\r\n");
            b.append(lines.get(k).stripTrailing());
        }
        if (s.endsWith("\n")) b.append("\r\n");
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }
}
