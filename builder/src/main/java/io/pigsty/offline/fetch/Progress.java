package io.pigsty.offline.fetch;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Progress of a long transfer: files, bytes, rate and ETA. On a terminal one status line is redrawn
 * in place; otherwise (CI, logs) a plain line is printed every {@code plainEverySeconds}.
 */
public final class Progress implements AutoCloseable {
    private final String what;
    private final PrintWriter out;
    private final boolean terminal;
    private final long plainEveryNanos;
    private final long totalFiles, totalBytes;
    private final AtomicLong files = new AtomicLong(), bytes = new AtomicLong();
    private final long start = System.nanoTime();
    private volatile long lastPrint = System.nanoTime();
    private final Thread ticker;

    public Progress(String what, long totalFiles, long totalBytes, PrintWriter out, boolean terminal, int plainEverySeconds) {
        this.what = what;
        this.totalFiles = totalFiles;
        this.totalBytes = totalBytes;
        this.out = out;
        this.terminal = terminal;
        this.plainEveryNanos = plainEverySeconds * 1_000_000_000L;
        ticker = new Thread(this::tick, "progress");
        ticker.setDaemon(true);
        ticker.start();
    }

    /** A progress that prints nothing (quiet mode, tests). */
    public static Progress silent() {
        return new Progress("", 0, 0, null, false, 0);
    }

    public void addBytes(long n) {
        bytes.addAndGet(n);
    }

    public void fileDone() {
        files.incrementAndGet();
    }

    private void tick() {
        if (out == null) return;
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(terminal ? 250 : 1000);
                long now = System.nanoTime();
                if (terminal) {
                    out.print("\r" + line() + "\u001b[K");
                    out.flush();
                } else if (now - lastPrint >= plainEveryNanos) {
                    out.println(line());
                    out.flush();
                    lastPrint = now;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    String line() {
        double secs = Math.max(1e-3, (System.nanoTime() - start) / 1e9);
        long b = bytes.get();
        double rate = b / secs;
        String eta = rate > 0 && totalBytes > b ? duration((totalBytes - b) / rate) : "-";
        return String.format(Locale.ROOT, "%s: %d/%d files, %s/%s, %s/s, ETA %s", what, files.get(), totalFiles,
                size(b), size(totalBytes), size((long) rate), eta);
    }

    @Override
    public void close() {
        ticker.interrupt();
        try {
            ticker.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (out == null) return;
        double secs = (System.nanoTime() - start) / 1e9;
        String done = String.format(Locale.ROOT, "%s: %d files, %s in %.1fs", what, files.get(), size(bytes.get()), secs);
        out.println(terminal ? "\r" + done + "\u001b[K" : done);
        out.flush();
    }

    /**
     * {@code b} bytes for people: 512 B, 1.5 KiB, 20.3 MiB, 1.25 GiB (rounded half up). Plain
     * arithmetic, not a Formatter: a plan prints one per package, and Formatter's first use loads the
     * locale data (about 30 ms of a warm plan).
     */
    public static String size(long b) {
        if (b < 1024) return b + " B";
        if (b < 1024 * 1024) return fixed(b, 1024, 10) + " KiB";
        if (b < 1024L * 1024 * 1024) return fixed(b, 1024 * 1024, 10) + " MiB";
        return fixed(b, 1024L * 1024 * 1024, 100) + " GiB";
    }

    /** {@code b / unit} with {@code scale} 10 or 100 (one or two decimals), rounded half up. */
    private static String fixed(long b, long unit, int scale) {
        long v = (long) Math.floor(b * (double) scale / unit + 0.5);
        long frac = v % scale;
        return v / scale + "." + (scale == 100 && frac < 10 ? "0" : "") + frac;
    }

    private static String duration(double secs) {
        long s = Math.round(secs);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
