package io.pigsty.offline.model;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Locations from metadata (yum location, repomd location, apt Filename) that must never leave the repo. */
class SafePathsTest {
    @ParameterizedTest
    @ValueSource(strings = {"../x.rpm", "a/../../x.rpm", "/etc/passwd", "http://evil/x.rpm", "%2e%2e/x.rpm", "a/%2E%2E/%2e%2e/x",
            "x.rpm%00", "evil\ninjected.rpm", "x\r.rpm", "x.rpm?x=1", "x.rpm#frag", "a\\b.rpm", "a//b.rpm", "./x.rpm", "", "x\u007f.rpm"})
    void refused(String location) {
        assertFalse(SafePaths.safeRelative(location), location);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Packages/a/app-1.0-1.x86_64.rpm", "pool/main/libs/libstdc++6_12.2.0-14_amd64.deb", "caret-1.0^git1-1.x86_64.rpm",
            "tilde-1.0~rc1-1.noarch.rpm", "repodata/abc-primary.xml.gz", "epoch_1%3a"})
    void accepted(String location) {
        // a percent sign is refused wherever it stands: a server may decode it
        assertTrue(SafePaths.safeRelative(location) != location.contains("%"), location);
    }
}
