package io.pigsty.offline.config;

import io.pigsty.offline.fixtures.Tools;
import io.pigsty.offline.format.deb.AptSources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The build host's apt sources as a source of mirror URLs. No mirror host is written here. */
class HostAptTest {
    @TempDir
    Path root;

    @Test
    void readsDeb822AndOneLineSources() throws Exception {
        Files.createDirectories(root.resolve("etc/apt/sources.list.d"));
        Files.writeString(root.resolve("etc/os-release"), "PRETTY_NAME=\"Debian\"\nID=debian\n");
        Files.writeString(root.resolve("etc/apt/sources.list.d/a.sources"), """
                Types: deb deb-src
                # a comment
                URIs: http://mirror.test/debian
                Suites: bookworm bookworm-updates
                Components: main

                Types: deb
                URIs: http://security.test/debian-security
                Suites: bookworm-security
                Components: main

                Types: deb
                Enabled: no
                URIs: http://disabled.test/
                Suites: bookworm
                """);
        Map<String, String[]> m = HostApt.mirrors(root, "debian");
        assertEquals("http://mirror.test/debian/", m.get("debian_mirror")[0]);
        assertEquals("http://security.test/debian-security/", m.get("debian_security_mirror")[0]);
        assertTrue(HostApt.mirrors(root, "ubuntu").isEmpty(), "a Debian host lends nothing to Ubuntu targets");
        assertEquals(List.of(new AptSources.Source("http://one.test/ubuntu/", List.of("jammy"))),
                AptSources.oneLine("# x\ndeb [arch=amd64 signed-by=/k] http://one.test/ubuntu/ jammy main\ndeb-src http://src.test/ jammy main\n"));
    }

    @Test
    void thisHostsOwnSources() {
        // Whatever this machine runs, what we read must be what its own files say (compared with sed, at run time).
        if (!HostApt.hostDistro(Path.of("/")).equals("debian")) return;
        String expected = Tools.run(null, "sh", "-c",
                "sed -n 's#^URIs:[[:space:]]*##p' /etc/apt/sources.list.d/*.sources | head -1").ok().out().trim();
        if (expected.isEmpty()) return;
        String got = HostApt.mirrors(Path.of("/"), "debian").get("debian_mirror")[0];
        assertEquals(expected.endsWith("/") ? expected : expected + "/", got);
    }
}
