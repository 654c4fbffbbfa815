package io.pigsty.offline.pack;

import io.pigsty.offline.fixtures.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ISO writer on its own, read back by xorriso and isoinfo. */
class Iso9660Test {
    @TempDir
    Path tmp;

    @Test
    void filesAndNamesComeBackAsWrittenAndTheBytesAreReproducible() throws Exception {
        Tools.require("xorriso", "isoinfo");
        Map<String, Path> files = new TreeMap<>();
        String[] names = {"pigsty/repo_complete", "pigsty/repodata/repomd.xml",
                "pigsty/postgresql16-server-16.4-1PGDG.rhel9.x86_64.rpm", "pigsty/a name with spaces.deb",
                "pigsty/inventory/pigsty.yml", "pigsty/deep/er/still/fine.txt"};
        for (int i = 0; i < names.length; i++) {
            Path src = tmp.resolve("src" + i);
            Files.writeString(src, ("content of " + names[i] + "\n").repeat(300 * (i + 1)));
            files.put(names[i], src);
        }
        Path iso = tmp.resolve("out/a.iso"), again = tmp.resolve("out/b.iso");
        Iso9660.write(files, "pigsty-el9", 1700000000L, iso);
        Iso9660.write(files, "pigsty-el9", 1700000000L, again);
        assertArrayEquals(Files.readAllBytes(iso), Files.readAllBytes(again), "same input, same bytes");

        String pvd = Tools.run(tmp, "isoinfo", "-d", "-i", iso.toString()).ok().out();
        assertTrue(pvd.contains("Volume id: pigsty-el9"), pvd);
        assertTrue(pvd.contains("Rock Ridge signatures version"), pvd);

        Path out = tmp.resolve("extracted");
        Tools.run(tmp, "xorriso", "-osirrox", "on", "-indev", iso.toString(), "-extract", "/", out.toString()).ok();
        for (Map.Entry<String, Path> e : files.entrySet())
            assertArrayEquals(Files.readAllBytes(e.getValue()), Files.readAllBytes(out.resolve(e.getKey())), e.getKey());
        try (var s = Files.walk(out)) {
            assertEquals(files.size(), s.filter(Files::isRegularFile).count(), "nothing more, nothing less");
        }
    }
}
