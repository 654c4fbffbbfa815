package io.pigsty.offline.format.deb;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StanzasTest {
    static List<String> names(byte[] data, long at, long until) throws Exception {
        List<String> out = new ArrayList<>();
        ByteArrayInputStream in = new ByteArrayInputStream(data, (int) at, data.length - (int) at);
        new Stanzas(false, "Package", "Depends").read(in, at, until, s -> out.add(s.get(0) + "|" + s.get(1)));
        return out;
    }

    /** Any split of a file among readers yields every paragraph exactly once, in order. */
    @Test
    void everySplitReadsEveryParagraphOnce() throws Exception {
        Random rnd = new Random(3);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            b.append("Package: p").append(i).append('\n');
            if (rnd.nextBoolean()) b.append("Depends: a,\n b (>= 1)\n"); // a folded field
            b.append("Description: x\n long\n .\n text\n");
            b.append(rnd.nextInt(6) == 0 ? "\n\n\n" : "\n");
        }
        byte[] data = b.toString().getBytes(StandardCharsets.UTF_8);
        List<String> whole = names(data, 0, Long.MAX_VALUE);
        assertEquals(300, whole.size());
        assertEquals("p7|a,\nb (>= 1)".equals(whole.get(7)) || whole.get(7).equals("p7|null"), true, whole.get(7));
        for (int trial = 0; trial < 500; trial++) {
            TreeSet<Integer> cuts = new TreeSet<>();
            for (int k = rnd.nextInt(4) + 1; k > 0; k--) cuts.add(1 + rnd.nextInt(data.length - 1));
            if (trial < 200) cuts.add(b.indexOf("\n\n", rnd.nextInt(data.length - 10)) + rnd.nextInt(3)); // near boundaries
            cuts.removeIf(c -> c <= 0 || c >= data.length);
            List<Long> starts = new ArrayList<>(List.of(0L));
            for (int c : cuts) starts.add((long) c);
            List<String> got = new ArrayList<>();
            for (int i = 0; i < starts.size(); i++)
                got.addAll(names(data, starts.get(i), i + 1 < starts.size() ? starts.get(i + 1) : Long.MAX_VALUE));
            assertEquals(whole, got, "cuts " + cuts);
        }
    }

    /** An endless line (a bomb's payload) ends with a message at the cap, never an int overflow or out of memory. */
    @org.junit.jupiter.api.Test
    void anEndlessLineIsRefusedAtTheCap() {
        java.io.InputStream endless = new java.io.InputStream() {
            long n;

            @Override
            public int read() {
                return n++ < 4L << 30 ? 'x' : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                java.util.Arrays.fill(b, off, off + len, (byte) 'x');
                n += len;
                return len;
            }
        };
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(io.pigsty.offline.model.MetadataException.class,
                () -> new Stanzas(false, "Package").read(endless, s -> { }));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("a line longer than " + Stanzas.LINE_MAX), e.getMessage());
    }
}
