package io.pigsty.offline.format.rpm;

import io.pigsty.offline.fixtures.LocalMeta;
import io.pigsty.offline.fixtures.Tools;
import io.pigsty.offline.format.Format;
import io.pigsty.offline.format.IndexSet;
import io.pigsty.offline.metadata.MetaSource;
import io.pigsty.offline.metadata.Metadata;
import io.pigsty.offline.metadata.FileOwners;
import io.pigsty.offline.metadata.MetadataLoader;
import io.pigsty.offline.model.Log;
import io.pigsty.offline.model.MetadataException;
import io.pigsty.offline.model.Repo;
import io.pigsty.offline.model.SafePaths;
import io.pigsty.offline.model.Universe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static io.pigsty.offline.fixtures.Rpms.rpm;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Upstream repodata in every compression createrepo_c writes, and the checks on what metadata says. */
class MetadataFormatsTest {
    @TempDir
    Path tmp;

    static MetaSource local(Path dir) {
        return new LocalMeta(dir);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gz", "xz", "bz2", "zstd"})
    void readsEveryCompression(String type) throws Exception {
        Path repo = tmp.resolve(type);
        rpm("a").version("1.0").requires("/usr/share/b/data").build(repo);
        rpm("b").version("1.0").arch("noarch").file("/usr/share/b/data", "x").build(repo);
        if (type.equals("zstd")) {
            // Debian's createrepo_c 0.17 cannot write zstd (Fedora's does): recompress its gzip output
            // with the zstd tool. This reader test uses no checksums, so repomd only needs the new names.
            Tools.run(repo, "createrepo_c", "--no-database", ".").ok();
            Path md = repo.resolve("repodata/repomd.xml");
            String text = Files.readString(md);
            try (var s = Files.list(repo.resolve("repodata"))) {
                for (Path gz : s.filter(p -> p.toString().endsWith(".xml.gz")).toList()) {
                    String zst = gz.getFileName().toString().replace(".xml.gz", ".xml.zst");
                    Tools.run(repo, "sh", "-c", "zcat " + gz + " | zstd -q -o repodata/" + zst).ok();
                    text = text.replace(gz.getFileName().toString(), zst);
                }
            }
            Files.writeString(md, text);
        } else {
            Tools.run(repo, "createrepo_c", "--no-database", "--general-compress-type=" + type, ".").ok();
        }
        String repomd = Files.readString(repo.resolve("repodata/repomd.xml"));
        assertTrue(repomd.contains("primary.xml." + (type.equals("zstd") ? "zst" : type)), repomd);
        RpmFormat f = RpmFormat.INSTANCE;
        Repo r = new Repo("r", 99, List.of("http://127.0.0.1/"));
        Metadata md = MetadataLoader.load(List.of(new Format.Source(r, List.of(), false, false, null)), f, "x86_64", local(repo), Log.QUIET);
        Universe u = md.universe();
        assertEquals(2, u.packages().size());
        // /usr/share/b/data is only in filelists: reading them finds its owner.
        assertEquals(List.of("/usr/share/b/data"), u.unprovidedFileRequirements());
        FileOwners.Found found = FileOwners.find(f, u.unprovidedFileRequirements(), md.index(), Set.of(r), local(repo), Log.QUIET);
        Universe more = u.withFiles(found.owners());
        assertTrue(more.unprovidedFileRequirements().isEmpty());
        assertEquals(List.of("b"), more.whatProvides(io.pigsty.offline.model.Dep.of("/usr/share/b/data")).stream()
                .map(io.pigsty.offline.model.Package::name).toList());
    }

    @Test
    void metadataPathsMustStayInsideTheRepo() {
        for (String bad : List.of("../x.rpm", "/etc/passwd", "a/../../x", "a//b", "./a", "http://evil/x.rpm", "a\\b", ""))
            assertFalse(SafePaths.safeRelative(bad), bad);
        assertTrue(SafePaths.safeRelative("Packages/a/abc-1.0-1.el9.x86_64.rpm"));
        assertFalse(SafePaths.safeFileName("Packages/a.rpm"));
        assertTrue(SafePaths.safeFileName("a-1.0^git1-1.x86_64.rpm"));
    }

    @Test
    void repomdWithoutPrimaryOrWithUnsafeLocationIsRefused() throws Exception {
        Path md = tmp.resolve("repomd.xml");
        Files.writeString(md, "<repomd xmlns=\"http://linux.duke.edu/metadata/repo\"><data type=\"other\"><checksum type=\"sha256\">"
                + "a".repeat(64) + "</checksum><location href=\"repodata/o.xml.gz\"/></data></repomd>");
        try (var in = Files.newInputStream(md)) {
            assertThrows(MetadataException.class, () -> Repomd.parse(in, "repo x"));
        }
        Files.writeString(md, "<repomd xmlns=\"http://linux.duke.edu/metadata/repo\"><data type=\"primary\"><checksum type=\"sha256\">"
                + "a".repeat(64) + "</checksum><location href=\"/abs/primary.xml.gz\"/></data></repomd>");
        try (var in = Files.newInputStream(md)) {
            MetadataException e = assertThrows(MetadataException.class, () -> Repomd.parse(in, "repo x"));
            assertTrue(e.getMessage().contains("unsafe location '/abs/primary.xml.gz'"), e.getMessage());
        }
    }

    @Test
    void aRecordThatCannotBeReadIsLeftOutNotTheRepo() throws Exception {
        Path repo = tmp.resolve("broken");
        rpm("good").version("1.0").build(repo);
        rpm("bad").version("1.0").requires("placeholder-dep").build(repo);
        Tools.run(repo, "createrepo_c", "--no-database", "--general-compress-type=gz", ".").ok();
        // A rich dependency no rpm accepts, in one record of the primary (the checksum is not checked here).
        try (var s = Files.list(repo.resolve("repodata"))) {
            for (Path gz : s.filter(p -> p.toString().endsWith("primary.xml.gz")).toList())
                Tools.run(repo, "sh", "-c", "zcat " + gz + " | sed 's/placeholder-dep/(broken with/' | gzip > " + gz + ".new && mv "
                        + gz + ".new " + gz).ok();
        }
        Repo r = new Repo("r", 99, List.of("http://127.0.0.1/"));
        Metadata md = MetadataLoader.load(List.of(new Format.Source(r, List.of(), false, false, null)), RpmFormat.INSTANCE, "x86_64",
                local(repo), Log.QUIET);
        assertEquals(List.of("good"), md.universe().packages().stream().map(p -> p.name()).toList());
        assertEquals(1, md.dropped().size(), md.dropped().toString());
        String line = md.dropped().get(0);
        assertTrue(line.startsWith("repo r: left out bad.x86_64") && line.contains("(broken with"), line);
    }

    /**
     * A field far beyond any real one (40 MiB, a few KB compressed): a name the reader needs ends the
     * repo with a message naming the limit, never an OutOfMemoryError; a description, which nothing
     * reads, is streamed past without being held.
     */
    @ParameterizedTest
    @ValueSource(strings = {"name", "description"})
    void aHugeFieldIsRefusedWithTheLimitOrSkipped(String field) throws Exception {
        Path repo = tmp.resolve("huge-" + field);
        rpm("good").version("1.0").build(repo);
        Tools.run(repo, "createrepo_c", "--no-database", "--general-compress-type=gz", ".").ok();
        Path gz;
        try (var s = Files.list(repo.resolve("repodata"))) {
            gz = s.filter(p -> p.toString().endsWith("primary.xml.gz")).findFirst().orElseThrow();
        }
        String xml;
        try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(gz))) {
            xml = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        String huge = "a".repeat(40 << 20);
        xml = field.equals("name") ? xml.replace("<name>good</name>", "<name>" + huge + "</name>")
                : xml.replaceFirst("<description>[^<]*</description>", "<description>" + huge + "</description>");
        assertTrue(xml.length() > 40 << 20, "the field was replaced");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(xml.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        xml = null;
        huge = null;
        Repo r = new Repo("r", 99, List.of("http://127.0.0.1/"));
        List<Format.Source> src = List.of(new Format.Source(r, List.of(), false, false, null));
        if (field.equals("description")) {
            assertEquals(List.of("good"), MetadataLoader.load(src, RpmFormat.INSTANCE, "x86_64", local(repo), Log.QUIET)
                    .universe().packages().stream().map(p -> p.name()).toList());
            return;
        }
        io.pigsty.offline.model.BuildException e = assertThrows(io.pigsty.offline.model.BuildException.class,
                () -> MetadataLoader.load(src, RpmFormat.INSTANCE, "x86_64", local(repo), Log.QUIET));
        assertEquals(io.pigsty.offline.model.ExitCode.NETWORK, e.exitCode(), "exit 4: the repo's metadata is refused");
        assertTrue(e.getMessage().contains("repo r") && e.getMessage().contains("malformed primary.xml")
                && e.getMessage().contains(String.valueOf(16 << 20)), e.getMessage());
    }
}
