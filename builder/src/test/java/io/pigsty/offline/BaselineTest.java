package io.pigsty.offline;

import io.pigsty.offline.fixtures.FileServer;
import io.pigsty.offline.fixtures.Homes;
import io.pigsty.offline.fixtures.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.pigsty.offline.ElEndToEndTest.cli;
import static io.pigsty.offline.fixtures.Rpms.rpm;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The minor-release trap, judged by real dnf: a host installed from an older snapshot (glibc 2.0 with
 * its langpack pinned to it) gets a bundle built from a newer one whose app needs glibc 3.0. Built for
 * an empty root, the bundle lacks the langpack that must move with glibc and dnf refuses it on that
 * host; built with the host's rpm -qa as --baseline, dnf installs the app from the bundle alone.
 */
class BaselineTest {
    @TempDir
    Path tmp;

    @Test
    void aBundleBuiltForTheHostsBaselineInstallsThere() throws Exception {
        Tools.require("dnf", "rpm", "createrepo_c");
        Path old = tmp.resolve("old"), neu = tmp.resolve("new/repo");
        for (Path r : List.of(old, neu)) rpm("bash").version("5.1").provides("/bin/sh").file("/usr/bin/bash", "bash").build(r);
        rpm("glibc").version("2.0").file("/usr/lib64/libc-2.0", "old").build(old);
        rpm("langpack-en").version("2.0").requires("glibc = 2.0-1").file("/usr/share/locale/en-2.0", "old").build(old);
        rpm("glibc").version("3.0").file("/usr/lib64/libc-3.0", "new").build(neu);
        rpm("langpack-en").version("3.0").requires("glibc = 3.0-1").file("/usr/share/locale/en-3.0", "new").build(neu);
        rpm("app").version("1.0").requires("glibc >= 3.0").file("/usr/bin/app", "app").build(neu);
        Tools.run(old, "createrepo_c", "--no-database", ".").ok();
        Tools.run(neu, "createrepo_c", "--no-database", ".").ok();

        // The host: installed by real dnf from the old snapshot; its baseline as the README says to take it.
        Path host = tmp.resolve("host");
        Files.createDirectories(host);
        Tools.run(tmp, dnf(host, old, "install", "glibc", "langpack-en", "bash"), 300).ok();
        String qa = Tools.run(tmp, List.of("rpm", "--root", host.toString(), "-qa", "--qf",
                "%{NAME} %{EPOCHNUM} %{VERSION} %{RELEASE} %{ARCH}\\n[R %{REQUIRENEVRS}\\n][P %{PROVIDENEVRS}\\n]"), 60).ok().out();
        Path baseline = tmp.resolve("host-rpms.txt");
        Files.writeString(baseline, qa);

        try (FileServer server = new FileServer(tmp.resolve("new"))) {
            Path home = Homes.el9(tmp.resolve("home"), "app", Map.of("new", server.url("repo/")));
            Tools.copyOverlays(home);
            // For an empty root: app and glibc 3.0; the langpack is not needed there.
            Path plain = build(home, "plain");
            assertTrue(rpms(plain).contains("glibc-3.0-1.x86_64.rpm") && !rpms(plain).toString().contains("langpack"), rpms(plain).toString());
            assertNotEquals(0, Tools.run(tmp, dnf(copyOf(host, "host-a"), plain, "install", "app"), 300).code(),
                    "dnf installs from a bundle that lacks what must move with glibc?");

            // With the host's baseline the langpack moves with glibc, and dnf installs app from the bundle alone.
            Path fitted = build(home, "fitted", "--baseline", baseline.toString());
            assertTrue(rpms(fitted).contains("langpack-en-3.0-1.x86_64.rpm"), rpms(fitted).toString());
            Path h = copyOf(host, "host-b");
            Tools.run(tmp, dnf(h, fitted, "install", "app"), 300).ok();
            String after = Tools.run(tmp, List.of("rpm", "--root", h.toString(), "-qa"), 60).ok().out();
            assertTrue(after.contains("app-1.0-1") && after.contains("glibc-3.0-1") && after.contains("langpack-en-3.0-1"), after);
            String manifest = Files.readString(fitted.resolve("manifest.json"));
            assertTrue(manifest.contains("\"baselines\"") && manifest.contains("\"installable\": true")
                    && manifest.contains("glibc-2.0-1.x86_64 -> glibc-3.0-1.x86_64"), manifest);
        }
    }

    static List<String> dnf(Path root, Path repo, String... args) {
        List<String> c = new ArrayList<>(List.of("dnf", "-y", "-q", "--installroot=" + root, "--setopt=reposdir=/dev/null",
                "--repofrompath=r,file://" + repo, "--nogpgcheck", "--forcearch=x86_64", "--releasever=9",
                "--setopt=install_weak_deps=False"));
        c.addAll(List.of(args));
        return c;
    }

    private Path copyOf(Path root, String name) {
        Path to = tmp.resolve(name);
        Tools.run(tmp, List.of("cp", "-a", root.toString(), to.toString()), 120).ok();
        return to;
    }

    private Path build(Path home, String name, String... extra) {
        List<String> a = new ArrayList<>(List.of("offline", "--os", "el9", "--home", home.toString(), "--no-launcher",
                "--cache", tmp.resolve("cache").toString(), "--repo-dir", tmp.resolve(name + "/www/pigsty").toString(),
                "--dist", tmp.resolve(name + "/dist").toString(), "--timeout", "5"));
        a.addAll(List.of(extra));
        ElEndToEndTest.Cli c = cli(a.toArray(String[]::new));
        assertEquals(0, c.code(), c.err());
        return tmp.resolve(name + "/www/pigsty");
    }

    private static List<String> rpms(Path tree) throws Exception {
        try (var s = Files.list(tree)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".rpm")).sorted().toList();
        }
    }
}
