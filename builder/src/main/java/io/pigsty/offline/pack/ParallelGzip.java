package io.pigsty.offline.pack;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A gzip stream compressed on several threads, as pigz does: input is cut into fixed-size blocks,
 * each deflated independently (primed with the previous block's last 32 KiB as dictionary) and
 * ended with a sync flush, so the pieces join into one ordinary deflate stream in one gzip member.
 * The header carries no name and mtime 0; block boundaries are fixed, so output is reproducible
 * whatever the thread count.
 */
final class ParallelGzip extends OutputStream {
    private static final int BLOCK = 1 << 20;
    private static final int DICT = 32 * 1024;

    private final OutputStream out;
    private final int level;
    private final ExecutorService pool;
    private final int maxInFlight;
    private final Deque<Future<byte[]>> pending = new ArrayDeque<>();
    private final CRC32 crc = new CRC32();
    private long length;
    private byte[] block = new byte[BLOCK];
    private int filled;
    private byte[] dict;
    private boolean closed;

    public ParallelGzip(OutputStream out, int level, int threads) throws IOException {
        if (level < 0 || level > 9) throw new IllegalArgumentException("gzip level must be 0..9, not " + level);
        this.out = out;
        this.level = level;
        int n = Math.max(1, threads);
        this.pool = Executors.newFixedThreadPool(n, r -> {
            Thread t = new Thread(r, "gzip");
            t.setDaemon(true);
            return t;
        });
        this.maxInFlight = n * 2;
        // magic, deflate, no flags, mtime 0, no extra flags, OS unix
        out.write(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3});
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (closed) throw new IOException("stream closed");
        crc.update(b, off, len);
        length += len;
        while (len > 0) {
            int n = Math.min(len, BLOCK - filled);
            System.arraycopy(b, off, block, filled, n);
            filled += n;
            off += n;
            len -= n;
            if (filled == BLOCK) submit();
        }
    }

    private void submit() throws IOException {
        final byte[] data = filled == block.length ? block : Arrays.copyOf(block, filled);
        final byte[] prime = dict;
        dict = Arrays.copyOfRange(data, Math.max(0, data.length - DICT), data.length);
        pending.add(pool.submit(() -> deflate(data, prime, level)));
        block = new byte[BLOCK];
        filled = 0;
        while (pending.size() >= maxInFlight) drainOne();
    }

    private static byte[] deflate(byte[] data, byte[] prime, int level) {
        Deflater d = new Deflater(level, true);
        try {
            if (prime != null && level > 0) d.setDictionary(prime);
            d.setInput(data);
            java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream(data.length / 2 + 64);
            byte[] chunk = new byte[64 * 1024];
            int n;
            do {
                n = d.deflate(chunk, 0, chunk.length, Deflater.SYNC_FLUSH);
                buf.write(chunk, 0, n);
            } while (n == chunk.length || !d.needsInput());
            return buf.toByteArray();
        } finally {
            d.end();
        }
    }

    private void drainOne() throws IOException {
        try {
            out.write(pending.poll().get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while compressing");
        } catch (ExecutionException e) {
            throw new IOException("compression failed", e.getCause());
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) return;
        closed = true;
        try {
            if (filled > 0) submit();
            while (!pending.isEmpty()) drainOne();
            out.write(new byte[] {3, 0}); // an empty final block ends the deflate stream
            long c = crc.getValue();
            out.write(new byte[] {(byte) c, (byte) (c >> 8), (byte) (c >> 16), (byte) (c >> 24),
                    (byte) length, (byte) (length >> 8), (byte) (length >> 16), (byte) (length >> 24)});
        } finally {
            try {
                pool.shutdownNow();
            } finally {
                out.close(); // also when writing failed: the file must not stay open
            }
        }
    }
}
