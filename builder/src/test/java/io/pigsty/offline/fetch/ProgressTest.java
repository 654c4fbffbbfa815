package io.pigsty.offline.fetch;

import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ProgressTest {
    /** What size() printed when it was a Formatter call, the reference it must keep matching. */
    private static String formatted(long b) {
        if (b < 1024) return b + " B";
        if (b < 1024 * 1024) return String.format(Locale.ROOT, "%.1f KiB", b / 1024.0);
        if (b < 1024L * 1024 * 1024) return String.format(Locale.ROOT, "%.1f MiB", b / 1048576.0);
        return String.format(Locale.ROOT, "%.2f GiB", b / 1073741824.0);
    }

    @Test
    void sizesReadAsTheFormatterWroteThem() {
        long[] edges = {0, 1, 1023, 1024, 1075, 1076, 1126, 10_240, 1024 * 1024 - 52, 1024 * 1024 - 51, 1024 * 1024 - 1, 1024 * 1024,
                5 * 1024 * 1024 + 52_428, 1024L * 1024 * 1024 - 1, 1024L * 1024 * 1024, 1024L * 1024 * 1024 + 5_368_709,
                1024L * 1024 * 1024 + 5_368_710, 7L * 1024 * 1024 * 1024 + 1024L * 1024 * 1024 / 100 * 9, 900L << 40};
        for (long b : edges) assertEquals(formatted(b), Progress.size(b), "size " + b);
        Random rnd = new Random(11);
        for (int i = 0; i < 200_000; i++) {
            long b = (long) Math.pow(2, rnd.nextDouble() * 44);
            assertEquals(formatted(b), Progress.size(b), "size " + b);
        }
    }
}
