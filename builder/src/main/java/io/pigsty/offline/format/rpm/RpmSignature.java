package io.pigsty.offline.format.rpm;

import io.pigsty.offline.format.BundleKey;
import io.pigsty.offline.format.Format;
import io.pigsty.offline.format.Keyring;
import io.pigsty.offline.model.MetadataException;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.jcajce.JcaPGPObjectFactory;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentVerifierBuilderProvider;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * The OpenPGP signatures in an RPM's signature header, which dnf checks with {@code gpgcheck=1}:
 * read and verified, and added to a package built here. Only the header-only RSA/DSA signatures
 * count (every rpmsign since rpm 4.1 writes one; a package with only the legacy header+payload
 * signature is taken as unsigned), with the payload covered by the signed header's digest. The layout is rpm's: a 96-byte lead, the
 * signature header padded to 8 bytes, the main header, the payload. Sizes are bounded before use.
 */
final class RpmSignature {
    private static final int LEAD = 96, INTRO = 16, MAGIC = 0x8eade801;
    private static final int HEADER_SIGNATURES = 62, DSAHEADER = 267, RSAHEADER = 268;
    private static final int PAYLOADDIGEST = 5092, PAYLOADDIGESTALGO = 5093, PGPHASHALGO_SHA256 = 8;
    private static final int BIN = 7, STRING = 6, STRING_ARRAY = 8, I18NSTRING = 9;
    // rpm's own limits (hdrchkTags, hdrchkData): no real header comes near them
    private static final int MAX_ENTRIES = 0xffff, MAX_DATA = 256 << 20;

    private static final JcaPGPContentVerifierBuilderProvider VERIFIERS = new JcaPGPContentVerifierBuilderProvider();

    private RpmSignature() {}

    private record Entry(int tag, int type, int offset, int count) {}

    /** A header's index and store, and where it ends in the file (the signature header's end padded). */
    private record Header(List<Entry> entries, byte[] store, long start, long end) {
        Entry get(int tag) {
            for (Entry e : entries) if (e.tag() == tag) return e;
            return null;
        }

        byte[] bin(Entry e, String name) throws MetadataException {
            if (e.type() != BIN || e.count() < 0 || (long) e.offset() + e.count() > store.length)
                throw new MetadataException(name + ": RPM header entry " + e.tag() + " lies outside its header");
            byte[] out = new byte[e.count()];
            System.arraycopy(store, e.offset(), out, 0, e.count());
            return out;
        }

        String string(Entry e, String name) throws MetadataException {
            if (e.offset() < 0 || e.offset() >= store.length)
                throw new MetadataException(name + ": RPM header entry " + e.tag() + " lies outside its header");
            int end = e.offset();
            while (end < store.length && store[end] != 0) end++;
            return new String(store, e.offset(), end - e.offset(), java.nio.charset.StandardCharsets.UTF_8);
        }

        int int32(Entry e) {
            return e.offset() >= 0 && e.offset() + 4 <= store.length ? ByteBuffer.wrap(store, e.offset(), 4).getInt() : -1;
        }
    }

    private static Header header(FileChannel ch, long at, String name, boolean pad) throws IOException {
        ByteBuffer intro = ByteBuffer.allocate(INTRO);
        read(ch, intro, at, name);
        intro.flip();
        if (intro.getInt() != MAGIC) throw new MetadataException(name + ": not an RPM package (no header magic at " + at + ")");
        intro.getInt();
        int n = intro.getInt(), size = intro.getInt();
        if (n < 1 || n > MAX_ENTRIES || size < 0 || size > MAX_DATA || at + INTRO + 16L * n + size > ch.size())
            throw new MetadataException(name + ": RPM header at " + at + " claims " + n + " entries and " + size
                    + " bytes, more than the file holds");
        ByteBuffer body = ByteBuffer.allocate(16 * n + size);
        read(ch, body, at + INTRO, name);
        body.flip();
        List<Entry> entries = new ArrayList<>(n);
        for (int i = 0; i < n; i++) entries.add(new Entry(body.getInt(), body.getInt(), body.getInt(), body.getInt()));
        byte[] store = new byte[size];
        body.get(store);
        long end = at + INTRO + 16L * n + size;
        if (pad) end = (end + 7) & ~7L;
        return new Header(entries, store, at, end);
    }

    private static void read(FileChannel ch, ByteBuffer b, long at, String name) throws IOException {
        while (b.hasRemaining()) if (ch.read(b, at + b.position()) < 0) throw new MetadataException(name + ": RPM file is truncated");
    }

    /**
     * Checks the package's own signature against {@code keys}. A signature that names a key of
     * {@code keys} but does not verify, or a payload that does not match the signed header's
     * digest, is an error: the file was changed after it was signed.
     */
    static Format.PackageSignature check(Path file, String name, Keyring keys) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (ch.size() < LEAD + INTRO) throw new MetadataException(name + ": not an RPM package (too short)");
            Header sig = header(ch, LEAD, name, true);
            Header main = header(ch, sig.end(), name, false);
            List<String> refused = new ArrayList<>();
            String unknown = null;
            boolean any = false;
            for (int tag : new int[] {RSAHEADER, DSAHEADER}) {
                Entry e = sig.get(tag);
                if (e == null) continue;
                any = true;
                for (PGPSignature s : signatures(sig.bin(e, name), name)) {
                    PGPPublicKey key = keys.key(s.getKeyID());
                    if (key == null) {
                        unknown = Keyring.id(s.getKeyID());
                        continue;
                    }
                    String why = Keyring.refusal(s, key);
                    if (why != null) {
                        refused.add(Keyring.id(s.getKeyID()) + " (" + why + ")");
                        continue;
                    }
                    if (!verify(s, key, ch, main.start(), main.end()))
                        throw new MetadataException(name + ": its signature by key " + Keyring.id(s.getKeyID())
                                + " does not verify: the package was changed after it was signed");
                    checkPayload(ch, main, name);
                    return new Format.PackageSignature(Format.PackageSignature.Status.VERIFIED, s.getKeyID(), null);
                }
            }
            if (!any) return new Format.PackageSignature(Format.PackageSignature.Status.UNSIGNED, 0, null);
            if (!refused.isEmpty())
                return new Format.PackageSignature(Format.PackageSignature.Status.REFUSED, 0, String.join(", ", refused));
            return new Format.PackageSignature(Format.PackageSignature.Status.UNKNOWN_KEY, 0, unknown);
        }
    }

    private static PGPSignatureList signatures(byte[] packet, String name) throws MetadataException {
        try {
            Object o = new JcaPGPObjectFactory(new ByteArrayInputStream(packet)).nextObject();
            if (o instanceof PGPSignatureList l && !l.isEmpty()) return l;
        } catch (IOException | RuntimeException e) {
            throw new MetadataException(name + ": unreadable OpenPGP signature in its RPM header: " + e.getMessage(), e);
        }
        throw new MetadataException(name + ": its RPM signature header holds no OpenPGP signature");
    }

    private static boolean verify(PGPSignature s, PGPPublicKey key, FileChannel ch, long from, long to) throws IOException {
        try {
            s.init(VERIFIERS, key);
            ByteBuffer buf = ByteBuffer.allocate(1 << 16);
            for (long at = from; at < to; ) {
                buf.clear().limit((int) Math.min(buf.capacity(), to - at));
                int n = ch.read(buf, at);
                if (n < 0) return false;
                s.update(buf.array(), 0, n);
                at += n;
            }
            return s.verify();
        } catch (PGPException e) {
            throw new IOException("cannot check an RPM signature: " + e.getMessage(), e);
        }
    }

    /** A header-only signature covers the payload through the header's payload digest: it must match. */
    private static void checkPayload(FileChannel ch, Header main, String name) throws IOException {
        Entry digest = main.get(PAYLOADDIGEST), algo = main.get(PAYLOADDIGESTALGO);
        if (digest == null) return; // rpm before 4.14: the signed header holds no payload digest, the repo's sha256 covers it
        if (algo != null && main.int32(algo) != PGPHASHALGO_SHA256) return; // only SHA-256 is made in practice
        if (digest.type() != STRING_ARRAY && digest.type() != STRING) return;
        String want = main.string(digest, name);
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = Channels.newInputStream(ch.position(main.end()))) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
        }
        if (!HexFormat.of().formatHex(md.digest()).equalsIgnoreCase(want))
            throw new MetadataException(name + ": its payload does not match the digest in its signed header:"
                    + " the package was changed after it was signed");
    }

    /**
     * Adds a header-only RSA signature by {@code key} (RSAHEADER, what {@code rpmsign --addsign}
     * writes) to a package built here, in place; the bytes stay reproducible for the same key and time.
     */
    static void sign(Path rpm, BundleKey key, long time) throws IOException {
        String name = rpm.getFileName().toString();
        Header sig, main;
        try (FileChannel ch = FileChannel.open(rpm, StandardOpenOption.READ)) {
            sig = header(ch, LEAD, name, true);
            main = header(ch, sig.end(), name, false);
        }
        byte[] all = Files.readAllBytes(rpm);
        byte[] packet = key.packet(new ByteArrayInputStream(all, (int) main.start(), (int) (main.end() - main.start())), time);
        // The new store: every entry's data in tag order, aligned as rpm wants; the region trailer last.
        List<Entry> entries = new ArrayList<>(sig.entries());
        Entry region = entries.get(0).tag() == HEADER_SIGNATURES ? entries.remove(0) : null;
        entries.removeIf(e -> e.tag() == RSAHEADER);
        entries.add(new Entry(RSAHEADER, BIN, -1, packet.length));
        entries.sort(Comparator.comparingInt(Entry::tag));
        ByteArrayOutputStream store = new ByteArrayOutputStream();
        List<Entry> index = new ArrayList<>();
        for (Entry e : entries) {
            byte[] data = e.tag() == RSAHEADER ? packet : data(sig, e, name);
            int align = align(e.type());
            while (store.size() % align != 0) store.write(0);
            index.add(new Entry(e.tag(), e.type(), store.size(), e.count()));
            store.writeBytes(data);
        }
        if (region != null) {
            int at = store.size();
            ByteBuffer trailer = ByteBuffer.allocate(16).putInt(HEADER_SIGNATURES).putInt(BIN).putInt(-16 * (index.size() + 1)).putInt(16);
            store.writeBytes(trailer.array());
            index.add(0, new Entry(HEADER_SIGNATURES, BIN, at, 16));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(all.length + packet.length + 64);
        out.write(all, 0, LEAD);
        ByteBuffer head = ByteBuffer.allocate(INTRO + 16 * index.size()).putInt(MAGIC).putInt(0).putInt(index.size()).putInt(store.size());
        for (Entry e : index) head.putInt(e.tag()).putInt(e.type()).putInt(e.offset()).putInt(e.count());
        out.writeBytes(head.array());
        store.writeTo(out);
        while (out.size() % 8 != 0) out.write(0);
        out.write(all, (int) main.start(), all.length - (int) main.start());
        Path tmp = rpm.resolveSibling("." + name + ".signing");
        Files.write(tmp, out.toByteArray());
        Files.move(tmp, rpm, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static int align(int type) {
        return switch (type) {
            case 3 -> 2; // INT16
            case 4 -> 4; // INT32
            case 5 -> 8; // INT64
            default -> 1;
        };
    }

    /** An entry's data, its length known from its type. */
    private static byte[] data(Header h, Entry e, String name) throws MetadataException {
        byte[] s = h.store();
        int len = switch (e.type()) {
            case 0, 1, 2, BIN -> e.count();
            case 3 -> 2 * e.count();
            case 4 -> 4 * e.count();
            case 5 -> 8 * e.count();
            case STRING, STRING_ARRAY, I18NSTRING -> {
                int at = e.offset();
                for (int i = 0; i < (e.type() == STRING ? 1 : e.count()); i++) {
                    while (at < s.length && s[at] != 0) at++;
                    at++;
                }
                yield at - e.offset();
            }
            default -> throw new MetadataException(name + ": RPM signature header entry " + e.tag() + " has unknown type " + e.type());
        };
        if (e.offset() < 0 || len < 0 || (long) e.offset() + len > s.length)
            throw new MetadataException(name + ": RPM signature header entry " + e.tag() + " lies outside its header");
        byte[] out = new byte[len];
        System.arraycopy(s, e.offset(), out, 0, len);
        return out;
    }
}
