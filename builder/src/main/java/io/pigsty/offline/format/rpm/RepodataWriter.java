package io.pigsty.offline.format.rpm;

import io.pigsty.bundle.BundleLayout;
import io.pigsty.offline.model.Checksum;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Writes createrepo-compatible {@code repodata/}: primary, filelists and other as gzip, named by
 * their checksum, and repomd.xml. Records arrive as ready XML text (copied from upstream or made
 * from package headers), in the order they should appear. Output depends only on its input.
 */
final class RepodataWriter {
    static final String COMMON_NS = "http://linux.duke.edu/metadata/common";
    static final String RPM_NS = "http://linux.duke.edu/metadata/rpm";
    static final String FILELISTS_NS = "http://linux.duke.edu/metadata/filelists";
    static final String OTHER_NS = "http://linux.duke.edu/metadata/other";

    /** One package's three records. */
    record Entry(String primary, String filelists, String other) {}

    private record Written(String type, String location, String sum, String openSum, long size, long openSize) {}

    private RepodataWriter() {}

    static void write(Path repoDir, List<Entry> entries, long timestamp) throws IOException {
        Path dir = repoDir.resolve(BundleLayout.REPODATA);
        Files.createDirectories(dir);
        int n = entries.size();
        List<Written> out = new ArrayList<>();
        out.add(file(dir, "primary", "<metadata xmlns=\"" + COMMON_NS + "\" xmlns:rpm=\"" + RPM_NS
                + "\" packages=\"" + n + "\">\n", "</metadata>\n", entries, Entry::primary));
        out.add(file(dir, "filelists", "<filelists xmlns=\"" + FILELISTS_NS + "\" packages=\"" + n + "\">\n",
                "</filelists>\n", entries, Entry::filelists));
        out.add(file(dir, "other", "<otherdata xmlns=\"" + OTHER_NS + "\" packages=\"" + n + "\">\n",
                "</otherdata>\n", entries, Entry::other));
        StringBuilder md = new StringBuilder();
        md.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<repomd xmlns=\"http://linux.duke.edu/metadata/repo\" xmlns:rpm=\"").append(RPM_NS).append("\">\n")
                .append("  <revision>").append(timestamp).append("</revision>\n");
        for (Written w : out) {
            md.append("  <data type=\"").append(w.type()).append("\">\n")
                    .append("    <checksum type=\"sha256\">").append(w.sum()).append("</checksum>\n")
                    .append("    <open-checksum type=\"sha256\">").append(w.openSum()).append("</open-checksum>\n")
                    .append("    <location href=\"").append(w.location()).append("\"/>\n")
                    .append("    <timestamp>").append(timestamp).append("</timestamp>\n")
                    .append("    <size>").append(w.size()).append("</size>\n")
                    .append("    <open-size>").append(w.openSize()).append("</open-size>\n")
                    .append("  </data>\n");
        }
        md.append("</repomd>\n");
        Files.writeString(dir.resolve("repomd.xml"), md, StandardCharsets.UTF_8);
    }

    private static Written file(Path dir, String type, String head, String tail, List<Entry> entries,
                                java.util.function.Function<Entry, String> record) throws IOException {
        Path tmp = dir.resolve("." + type + ".xml.gz.tmp");
        MessageDigest packed = Checksum.digest("SHA-256"), plain = Checksum.digest("SHA-256");
        long openSize;
        try (OutputStream file = Files.newOutputStream(tmp);
             DigestOutputStream packedOut = new DigestOutputStream(file, packed);
             GZIPOutputStream gz = new FixedGzip(packedOut);
             CountingDigestStream plainOut = new CountingDigestStream(gz, plain);
             Writer w = new OutputStreamWriter(plainOut, StandardCharsets.UTF_8)) {
            w.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
            w.write(head);
            for (Entry e : entries) {
                w.write(record.apply(e));
                w.write('\n');
            }
            w.write(tail);
            w.flush();
            openSize = plainOut.count;
        }
        String sum = HexFormat.of().formatHex(packed.digest());
        String location = BundleLayout.REPODATA + "/" + sum + "-" + type + ".xml.gz";
        Files.move(tmp, dir.resolve(sum + "-" + type + ".xml.gz"));
        return new Written(type, location, sum, HexFormat.of().formatHex(plain.digest()),
                Files.size(dir.resolve(sum + "-" + type + ".xml.gz")), openSize);
    }

    /** gzip with a fixed header (no name, mtime 0) at a middle level: metadata compresses well. */
    private static final class FixedGzip extends GZIPOutputStream {
        FixedGzip(OutputStream out) throws IOException {
            super(out, 1 << 16);
            def.setLevel(Deflater.DEFAULT_COMPRESSION);
        }
    }

    /** Digests and counts the uncompressed bytes on their way into the compressor. */
    private static final class CountingDigestStream extends DigestOutputStream {
        long count;

        CountingDigestStream(OutputStream out, MessageDigest md) {
            super(out, md);
        }

        @Override
        public void write(int b) throws IOException {
            super.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            super.write(b, off, len);
            count += len;
        }
    }
}
