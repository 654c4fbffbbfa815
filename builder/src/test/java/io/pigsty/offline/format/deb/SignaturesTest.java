package io.pigsty.offline.format.deb;

import io.pigsty.offline.fixtures.Warnings;
import io.pigsty.offline.format.Keyring;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The keys apt would trust, gathered from several keyrings: a stray file among them is skipped, not fatal. */
class SignaturesTest {
    @TempDir
    Path tmp;

    @Test
    void anUnreadableKeyringIsSkippedAndNoneReadableIsAnError() throws Exception {
        Path stray = tmp.resolve("notes.gpg");
        Files.writeString(stray, "not a key");
        Path real = Path.of("..").toAbsolutePath().normalize().resolve("repo-spec/keys/pigsty.asc");
        Warnings log = new Warnings();
        // pigsty.asc: 9592A7BC7A682E7333376E09E7935D8DB9BD8B20, whose key ID is the last 16 digits
        assertNotNull(Keyring.read(List.of(stray, real), log).key(Long.parseUnsignedLong("E7935D8DB9BD8B20", 16)));
        assertTrue(log.lines.stream().anyMatch(l -> l.contains("skipping keyring " + stray)), log.lines.toString());
        IOException e = assertThrows(IOException.class, () -> Keyring.read(List.of(stray), log));
        assertTrue(e.getMessage().contains("none of the keyrings"), e.getMessage());
    }
}
