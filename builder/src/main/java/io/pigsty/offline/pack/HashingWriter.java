package io.pigsty.offline.pack;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Writes to a file while hashing what is written, on a thread of its own: the archive's sha256 then
 * costs no time on the thread that feeds the compressor. Buffers of 1 MiB are handed over through a
 * short queue, so memory stays bounded and errors surface on the next write or on close.
 */
final class HashingWriter extends OutputStream {
    private static final int SIZE = 1 << 20;

    private record Chunk(byte[] data, int length) {}

    private static final Chunk END = new Chunk(new byte[0], 0);

    private final OutputStream out;
    private final MessageDigest digest;
    private final BlockingQueue<Chunk> full = new ArrayBlockingQueue<>(4);
    private final Thread worker;
    private volatile IOException failure;
    private byte[] buf = new byte[SIZE];
    private int used;
    private boolean closed;

    HashingWriter(OutputStream out, MessageDigest digest) {
        this.out = out;
        this.digest = digest;
        worker = new Thread(this::drain, "hash-write");
        worker.setDaemon(true);
        worker.start();
    }

    private void drain() {
        try {
            while (true) {
                Chunk c = full.take();
                if (c == END) return;
                digest.update(c.data(), 0, c.length());
                out.write(c.data(), 0, c.length());
            }
        } catch (IOException e) {
            failure = e;
            full.clear();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int n = Math.min(len, SIZE - used);
            System.arraycopy(b, off, buf, used, n);
            used += n;
            off += n;
            len -= n;
            if (used == SIZE) handOff();
        }
    }

    private void handOff() throws IOException {
        check();
        if (used == 0) return;
        put(new Chunk(buf, used));
        buf = new byte[SIZE];
        used = 0;
    }

    /** A new exception each time: the writer's own failure thrown twice would suppress itself in try-with-resources. */
    private void check() throws IOException {
        if (failure != null) throw new IOException(failure.getMessage(), failure);
    }

    /** Hands a chunk to the writer thread; never waits on a writer that has failed and stopped taking. */
    private void put(Chunk c) throws IOException {
        try {
            while (!full.offer(c, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) check();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing");
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) return;
        closed = true;
        try {
            handOff();
            put(END);
            worker.join();
            check();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while finishing");
        } finally {
            worker.interrupt(); // a writer still waiting for chunks after a failure above
            out.close();
        }
    }
}
