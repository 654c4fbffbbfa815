package io.pigsty.offline.format.deb;

import io.pigsty.offline.format.Keyring;
import io.pigsty.offline.model.MetadataException;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.jcajce.JcaPGPObjectFactory;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentVerifierBuilderProvider;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * OpenPGP checks of apt Release files with BouncyCastle: an InRelease (cleartext-signed) or a Release
 * with its detached Release.gpg, against a {@link Keyring}. Only the text that was verified is handed back.
 */
final class Signatures {
    private Signatures() {}

    /**
     * The signed text of a cleartext-signed InRelease (dash-escaping undone, lines ending in \n),
     * verified against {@code keys}; with no keys (a repo marked trusted) the text is returned
     * unchecked, and a message that is not signed at all is taken as it is. Throws when no
     * signature verifies with a key of {@code keys}.
     */
    static String clearSigned(byte[] inRelease, Keyring keys, String where) throws MetadataException {
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
    static void verifyDetached(byte[] data, byte[] signature, Keyring keys, String where) throws MetadataException {
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

    private static void verify(PGPSignatureList sigs, byte[] data, Keyring keys, String where)
            throws MetadataException {
        List<String> seen = new ArrayList<>();
        for (PGPSignature sig : sigs) {
            String id = Keyring.id(sig.getKeyID());
            PGPPublicKey key = keys.key(sig.getKeyID());
            if (key == null) {
                seen.add(id + " (not in the keyring)");
                continue;
            }
            String weak = Keyring.refusal(sig, key);
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
