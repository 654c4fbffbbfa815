package io.pigsty.offline.pack;

import io.pigsty.offline.model.Checksum;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.IntFunction;

/**
 * An output stream cut into files of at most {@code size} bytes, each hashed as it is written, so a
 * bundle larger than its medium is written once, as media-sized parts, and never joined on disk.
 */
final class Parts extends OutputStream {
    /** One written part: its file, size and sha256. */
    record Part(Path file, long size, String sha256) {}

    private final IntFunction<Path> fileOf;
    private final long size;
    private final List<Part> done = new ArrayList<>();
    private OutputStream current;
    private MessageDigest digest;
    private long used;
    private Path file;

    /** {@code fileOf} names part {@code n} (1-based). */
    Parts(IntFunction<Path> fileOf, long size) {
        if (size < 1) throw new IllegalArgumentException("a part must hold at least one byte");
        this.fileOf = fileOf;
        this.size = size;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (current == null || used == size) next();
            int n = (int) Math.min(len, size - used);
            current.write(b, off, n);
            digest.update(b, off, n);
            used += n;
            off += n;
            len -= n;
        }
    }

    private void next() throws IOException {
        finish();
        file = fileOf.apply(done.size() + 1);
        current = Files.newOutputStream(file);
        digest = Checksum.digest("SHA-256");
        used = 0;
    }

    private void finish() throws IOException {
        if (current == null) return;
        current.close();
        done.add(new Part(file, used, HexFormat.of().formatHex(digest.digest())));
        current = null;
    }

    @Override
    public void close() throws IOException {
        if (current == null && done.isEmpty()) next(); // an empty stream is still one (empty) part
        finish();
    }

    /** The parts written, in order; complete after {@link #close}. */
    List<Part> parts() {
        return List.copyOf(done);
    }
}
