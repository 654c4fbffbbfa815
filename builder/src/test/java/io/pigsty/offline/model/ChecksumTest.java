package io.pigsty.offline.model;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ChecksumTest {
    private static final String HEX = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    @Test
    void spellingsAreNormalizedAndMistakesRefused() {
        assertEquals(new Checksum("SHA-256", HEX), new Checksum("sha256", " " + HEX.toUpperCase() + "\n"));
        assertEquals("SHA-1", new Checksum("sha", HEX.substring(0, 40)).algo());
        assertEquals("malformed SHA-256 checksum '" + HEX.substring(1) + "'",
                assertThrows(IllegalArgumentException.class, () -> new Checksum("sha256", HEX.substring(1))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Checksum("sha256", HEX.substring(1) + "g"));
        assertThrows(IllegalArgumentException.class, () -> new Checksum("sha256", HEX.substring(0, 40)));
        assertThrows(IllegalArgumentException.class, () -> new Checksum("sha256", ""));
        assertThrows(IllegalArgumentException.class, () -> new Checksum("crc32", HEX));
    }
}
