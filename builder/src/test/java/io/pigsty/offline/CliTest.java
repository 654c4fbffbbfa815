package io.pigsty.offline;

import io.pigsty.offline.fixtures.FileServer;
import io.pigsty.offline.fixtures.Tools;
import io.pigsty.offline.fixtures.YumFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static io.pigsty.offline.ElEndToEndTest.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line as a user meets it: exit codes, messages with file:line, and URL packages. */
class CliTest {
    @TempDir
    static Path tmp;
    static FileServer server;
    static Path home;

    @BeforeAll
    static void fixture() throws Exception {
        YumFixture.create(tmp.resolve("upstream"));
        server = new FileServer(tmp.resolve("upstream"));
        home = YumFixture.home(tmp.resolve("home"), server.url(""), List.of("app"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static ElEndToEndTest.Cli run(String cmd, Path inventory, String... extra) {
        List<String> a = new ArrayList<>(List.of(cmd, "--os", "el9", "--home", home.toString(),
                "--cache", tmp.resolve("cache").toString(), "--timeout", "2"));
        if (cmd.equals("offline")) a.addAll(List.of("--repo-dir", tmp.resolve("www/pigsty").toString(), "--dist", tmp.resolve("dist").toString()));
        if (inventory != null) a.addAll(List.of("-i", inventory.toString()));
        a.addAll(List.of(extra));
        return cli(a.toArray(String[]::new));
    }

    /** {@code offline} into the given repo dir and dist. */
    static ElEndToEndTest.Cli at(Path repoDir, Path dist, String... extra) {
        List<String> a = new ArrayList<>(List.of("offline", "--os", "el9", "--home", home.toString(),
                "--cache", tmp.resolve("cache").toString(), "--timeout", "2", "--repo-dir", repoDir.toString(), "--dist", dist.toString()));
        a.addAll(List.of(extra));
        return cli(a.toArray(String[]::new));
    }

    static Path inventory(String name, String vars) throws Exception {
        Path p = tmp.resolve(name);
        Files.writeString(p, "all:\n  children: { infra: { hosts: { 10.10.10.10: {} } } }\n  vars:\n" + vars.indent(4));
        return p;
    }

    @Test
    void malformedInventoryIsExit2WithFileAndLine() throws Exception {
        Path inv = tmp.resolve("bad.yml");
        Files.writeString(inv, "all:\n  vars:\n    repo_packages: [ a, b\n    region: x\n");
        ElEndToEndTest.Cli c = run("plan", inv);
        assertEquals(2, c.code(), c.err());
        assertTrue(c.err().contains(inv + ":4:") && c.err().contains("YAML syntax error"), c.err());
        assertFalse(c.err().contains("\tat "), "no stack trace without --debug");
    }

    @Test
    void unknownOsAndArchAreExit2() {
        ElEndToEndTest.Cli c = cli(new String[] {"plan", "--os", "el7", "--home", home.toString()});
        assertEquals(2, c.code());
        assertTrue(c.err().contains("unknown target 'el7'; available: el9"), c.err());
        c = cli(new String[] {"plan", "--os", "el9", "--arch", "ppc64le", "--home", home.toString()});
        assertEquals(2, c.code());
        c = cli(new String[] {"offline", "--home", home.toString()});
        assertEquals(2, c.code());
        assertTrue(c.err().contains("--os"), c.err());
    }

    @Test
    void mistypedAliasIsExit2WithAHint() throws Exception {
        ElEndToEndTest.Cli c = run("plan", inventory("typo.yml", "repo_packages: [ fixture-sett ]\n"));
        assertEquals(2, c.code(), c.err());
        assertTrue(c.err().contains("typo.yml:") && c.err().contains("'fixture-sett' is not a package_map alias")
                && c.err().contains("did you mean 'fixture-set'"), c.err());
    }

    @Test
    void unresolvableIsExit3ListingEveryChainAtOnce() throws Exception {
        ElEndToEndTest.Cli c = run("plan", inventory("missing.yml", "repo_packages: [ app, broken, badpkg, nosuchthing ]\n"));
        assertEquals(3, c.code(), c.err());
        assertTrue(c.err().contains("3 unresolvable"), c.err());
        assertTrue(c.err().contains("broken → libmissing.so.9()(64bit): nothing provides it"), c.err());
        assertTrue(c.err().contains("badpkg: no package matches it"), c.err()); // hidden by excludepkgs
        assertTrue(c.err().contains("nosuchthing: no package matches it"), c.err());
        assertTrue(c.err().contains("missing.yml:"), c.err());
    }

    @Test
    void skipMissingBuildsAndRecordsWhatIsMissing() throws Exception {
        ElEndToEndTest.Cli c = run("offline", inventory("skip.yml", "repo_packages: [ app, broken ]\n"), "--skip-missing");
        assertEquals(0, c.code(), c.err());
        assertTrue(c.err().contains("warning:"), c.err());
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) new Yaml().load(Files.readString(tmp.resolve("www/pigsty/manifest.json")));
        List<?> missing = (List<?>) m.get("missing");
        assertEquals(1, missing.size());
        assertEquals(List.of("broken", "libmissing.so.9()(64bit)"), ((Map<?, ?>) missing.get(0)).get("chain"));
    }

    @Test
    void aarch64TakesOnlyItsOwnReposAndArches() {
        ElEndToEndTest.Cli c = run("plan", null, "--arch", "aarch64", "--json", "-e", "repo_packages=webserver-a,app");
        assertEquals(3, c.code(), c.err());
        assertTrue(c.err().contains("app: no package matches it"), c.err()); // app is built for x86_64 only
        c = run("plan", null, "--arch", "aarch64", "--json", "-e", "repo_packages=webserver-a", "--no-launcher");
        assertEquals(0, c.code(), c.err());
        @SuppressWarnings("unchecked")
        Map<String, Object> lock = (Map<String, Object>) new Yaml().load(c.out());
        assertEquals(List.of("base"), ((List<?>) lock.get("repos")).stream().map(r -> ((Map<?, ?>) r).get("name")).toList());
        assertEquals("aarch64", ((Map<?, ?>) lock.get("target")).get("arch"));
        assertEquals(1, ((List<?>) lock.get("packages")).size());
    }

    @Test
    void unavailableRepoIsSkippedOnlyWhenItSaysSo() throws Exception {
        String repos = """
                repo_upstream:
                  - { name: base, module: node, releases: [9], baseurl: { default: '%s' } }
                  - { name: dead, module: node, releases: [9], baseurl: { default: '%s' }%s }
                """;
        String base = server.url("base/"), dead = server.url("nowhere/");
        ElEndToEndTest.Cli c = run("plan", inventory("dead.yml", "repo_packages: [ webserver-a ]\n" + repos.formatted(base, dead, "")));
        assertEquals(4, c.code(), c.err());
        assertTrue(c.err().contains("repo dead") && c.err().contains("not found on any mirror"), c.err());
        c = run("plan", inventory("skip.yml", "repo_packages: [ webserver-a ]\n" + repos.formatted(base, dead, ", meta: { skip_if_unavailable: 1 }")));
        assertEquals(0, c.code(), c.err());
        assertTrue(c.err().contains("warning: repo dead") && c.err().contains("skip_if_unavailable"), c.err());
    }

    @Test
    void badBaselineOptionsAreExit2() {
        ElEndToEndTest.Cli c = run("plan", null, "--only-baselines");
        assertEquals(2, c.code(), c.err());
        assertTrue(c.err().contains("--only-baselines: give at least one --baseline FILE"), c.err());
        c = run("plan", null, "--baseline", "nosuch");
        assertEquals(2, c.code(), c.err());
        assertTrue(c.err().contains("--baseline nosuch: no such file, and no shipped baseline ") && c.err().contains("el9-nosuch.x86_64.*"), c.err());
    }

    /** --repo-dir replaces a whole directory: never one of the user's, never the cache. */
    @Test
    void aRepoDirThatIsNotABundleIsRefusedAndKept() throws Exception {
        Path mine = tmp.resolve("mine");
        Files.createDirectories(mine);
        Files.writeString(mine.resolve("thesis.txt"), "four years of work");
        ElEndToEndTest.Cli c = at(mine, tmp.resolve("dist"));
        assertEquals(2, c.code(), c.err());
        assertTrue(c.err().contains("holds files that are not a bundle built here"), c.err());
        assertEquals("four years of work", Files.readString(mine.resolve("thesis.txt")));
        c = at(tmp.resolve("cache"), tmp.resolve("dist"));
        assertEquals(2, c.code(), c.err());
        assertTrue(c.err().contains("overlaps the download cache"), c.err());
        c = at(tmp.resolve("cache/pigsty"), tmp.resolve("dist"));
        assertEquals(2, c.code(), c.err());
        assertTrue(Files.isDirectory(tmp.resolve("cache/blobs")) || Files.isDirectory(tmp.resolve("cache/roots")), "the cache was touched");
    }

    /** Two builds into the same repo dir: the second waits for the first (here: a held lock), then builds. */
    @Test
    void aSecondBuildWaitsForTheLock() throws Exception {
        Path www = tmp.resolve("www-locked");
        Files.createDirectories(www);
        java.util.concurrent.Future<ElEndToEndTest.Cli> second;
        java.util.concurrent.ExecutorService ex = java.util.concurrent.Executors.newSingleThreadExecutor();
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(www.resolve(".pigsty-build.lock"),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
             java.nio.channels.FileLock held = ch.lock()) {
            Files.writeString(www.resolve(".pigsty-build.lock"), "pid 4242\n");
            second = ex.submit(() -> at(www.resolve("pigsty"), tmp.resolve("dist-locked"), "--no-launcher"));
            Thread.sleep(3000);
            assertFalse(second.isDone(), "the second build did not wait");
        }
        ElEndToEndTest.Cli c = second.get(120, java.util.concurrent.TimeUnit.SECONDS);
        ex.shutdown();
        assertEquals(0, c.code(), c.err());
        assertTrue(c.err().contains("another build (pid 4242) is writing to " + www + "; waiting for it"), c.err());
        assertTrue(Files.isRegularFile(www.resolve("pigsty/repo_complete")));
    }

    /** --dist in the repo dir's parent: one lock for both, not a build waiting on itself. */
    @Test
    void distBesideTheRepoDirTakesOneLock() throws Exception {
        Path out = tmp.resolve("same");
        long t0 = System.nanoTime();
        ElEndToEndTest.Cli c = at(out.resolve("pigsty"), out, "--no-launcher");
        assertEquals(0, c.code(), c.err());
        assertFalse(c.err().contains("waiting"), c.err());
        assertTrue(System.nanoTime() - t0 < 60_000_000_000L);
    }

    /** A version names a directory under --dist: '..' would put the tarball outside it. */
    @Test
    void aVersionThatIsNotAFileNameIsExit2AndNothingIsWritten() throws Exception {
        for (String v : List.of("..", ".", "-rf", "a/b", "v1 2")) {
            ElEndToEndTest.Cli c = run("offline", null, "-e", "version=" + v);
            assertEquals(2, c.code(), v + ": " + c.err());
            assertTrue(c.err().contains("cannot be part of a file name"), c.err());
        }
        try (java.util.stream.Stream<Path> s = Files.list(tmp)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith("pigsty-pkg")), "a tarball was written outside --dist");
        }
    }

    /** repomd states the primary's size: a server sending more (an endless primary) is cut there, not read on. */
    @Test
    void aPrimaryLargerThanRepomdSaysIsCutAtThatSize() throws Exception {
        Path lying = tmp.resolve("upstream/lying");
        Tools.run(null, "cp", "-a", tmp.resolve("upstream/base").toString(), lying.toString()).ok();
        Path repomd = lying.resolve("repodata/repomd.xml");
        Files.writeString(repomd, Files.readString(repomd).replaceFirst("(?s)(<data type=\"primary\">.*?<size>)\\d+(</size>)", "$1100$2"));
        ElEndToEndTest.Cli c = cli(new String[] {"plan", "--os", "el9", "--home", home.toString(), "--cache", tmp.resolve("cache-lying").toString(),
                "--timeout", "2", "--retries", "1", "--no-launcher", "-i", inventory("lying.yml", "repo_modules: node\nrepo_packages: [ tool ]\n" + """
                repo_upstream:
                  - { name: lying, module: node, releases: [9], baseurl: { default: '%s' } }
                """.formatted(server.url("lying/"))).toString()});
        assertEquals(4, c.code(), c.err());
        assertTrue(c.err().contains("larger than the 100 bytes the metadata states"), c.err());
    }

    /** A repomd whose timestamps claim the year 285 billion: not a date, the tarball keeps sane mtimes. */
    @Test
    void anImpossibleMetadataTimestampIsNotTheBundlesDate() throws Exception {
        Tools.require("tar");
        Path future = tmp.resolve("upstream/future");
        Tools.run(null, "cp", "-a", tmp.resolve("upstream/base").toString(), future.toString()).ok();
        Path repomd = future.resolve("repodata/repomd.xml");
        Files.writeString(repomd, Files.readString(repomd).replaceAll("<timestamp>[0-9.]+</timestamp>", "<timestamp>9000000000000000000</timestamp>"));
        ElEndToEndTest.Cli c = at(tmp.resolve("www-future/pigsty"), tmp.resolve("dist-future"), "--no-launcher", "-i",
                inventory("future.yml", "repo_modules: node\nrepo_packages: [ tool ]\n" + """
                repo_upstream:
                  - { name: future, module: node, releases: [9], baseurl: { default: '%s' } }
                """.formatted(server.url("future/"))).toString());
        assertEquals(0, c.code(), c.err());
        String listing = Tools.run(null, "tar", "--full-time", "-tvzf",
                tmp.resolve("dist-future/v9.9.9/pigsty-pkg-v9.9.9.el9.x86_64.tgz").toString()).ok().out();
        for (String line : listing.lines().toList()) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(" (-?\\d+)-\\d\\d-\\d\\d ").matcher(line);
            assertTrue(m.find(), line);
            int year = Integer.parseInt(m.group(1));
            assertTrue(year >= 1970 && year <= 2242, line);
        }
    }

    /** A baseurl with credentials: the build works, and neither stderr, plan --json nor manifest.json shows them. */
    @Test
    void credentialsInABaseurlAreNeverWrittenDown() throws Exception {
        String url = server.url("base/").replace("://", "://builder:hunter2@");
        Path inv = inventory("creds.yml", "repo_modules: node\nrepo_packages: [ tool ]\n" + """
                repo_upstream:
                  - { name: base, module: node, releases: [9], baseurl: { default: '%s' } }
                """.formatted(url));
        ElEndToEndTest.Cli c = at(tmp.resolve("www-creds/pigsty"), tmp.resolve("dist-creds"), "--no-launcher", "-i", inv.toString());
        assertEquals(0, c.code(), c.err());
        assertFalse(c.err().contains("hunter2"), c.err());
        assertTrue(c.err().contains("holds a URL with credentials, and is embedded in the bundle"), c.err());
        assertFalse(Files.readString(tmp.resolve("www-creds/pigsty/manifest.json")).contains("hunter2"));
        assertTrue(Files.readString(tmp.resolve("www-creds/pigsty/manifest.json")).contains("://***@"));
        c = cli(new String[] {"plan", "--os", "el9", "--home", home.toString(), "--cache", tmp.resolve("cache").toString(), "--json",
                "-i", inv.toString(), "--no-launcher"});
        assertEquals(0, c.code(), c.err());
        assertFalse(c.out().contains("hunter2") || c.err().contains("hunter2"), c.out());
    }

    @Test
    void aZeroTimeoutIsExit2() {
        ElEndToEndTest.Cli c = cli(new String[] {"plan", "--os", "el9", "--home", home.toString(), "--timeout", "0"});
        assertEquals(2, c.code(), c.err());
        assertTrue(c.err().contains("--timeout: must be at least 1 second"), c.err());
    }

    @Test
    void unknownMirrorNameIsExit2() {
        ElEndToEndTest.Cli c = run("plan", null, "--mirror", "nosuch=http://127.0.0.1:1/");
        assertEquals(2, c.code());
        assertTrue(c.err().contains("no selected repo is named 'nosuch'"), c.err());
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "../../../etc/passwd | ../../../etc/passwd",
            "%2e%2e/%2e%2e/etc/passwd | %2e%2e/%2e%2e/etc/passwd",
            "evil&#10;injected.rpm | evil\\u000ainjected.rpm",
            "evil-1.rpm?x=1 | evil-1.rpm?x=1"})
    void unsafeLocationInUpstreamMetadataIsRefused(String href, String shown) throws Exception {
        String dir = "unsafe-" + Integer.toHexString(href.hashCode()) + "/";
        unsafeRepo(tmp.resolve("upstream").resolve(dir), href);
        ElEndToEndTest.Cli c = run("offline", inventory("unsafe.yml", "repo_modules: evil\nrepo_packages: [ evil ]\n" + """
                repo_upstream:
                  - { name: evil, module: evil, releases: [9], baseurl: { default: '%s' } }
                """.formatted(server.url(dir))));
        assertEquals(4, c.code(), c.err());
        assertTrue(c.err().contains("repo evil") && c.err().contains("unsafe location '" + shown + "'"), c.err());
        // nothing was fetched from outside the repo, nothing published
        assertTrue(server.requests().stream().noneMatch(r -> r.contains("passwd")), server.requests().toString());
        assertFalse(Files.exists(tmp.resolve("www/pigsty/repo_complete")) && Files.readString(tmp.resolve("www/pigsty/repo_complete")).contains("evil"));
    }

    @Test
    void urlPackagesAreVerifiedResolvedAndInstallable() throws Exception {
        Tools.require("dnf");
        Path rpm = tmp.resolve("upstream/extra/urlpkg-2.0-1.noarch.rpm");
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(rpm)));
        String url = server.url("extra/urlpkg-2.0-1.noarch.rpm");
        ElEndToEndTest.Cli bad = run("plan", inventory("url-bad.yml", "repo_packages: [ app ]\nrepo_url_packages:\n  - { url: '" + url
                + "', sha256: '" + "0".repeat(64) + "' }\n"));
        assertEquals(4, bad.code(), bad.err());
        assertTrue(bad.err().contains("expects " + "0".repeat(64)), bad.err());

        ElEndToEndTest.Cli c = run("offline", inventory("url.yml", "repo_packages: [ app ]\nrepo_url_packages:\n  - { url: '" + url
                + "', sha256: '" + sha + "' }\n"));
        assertEquals(0, c.code(), c.err());
        Path tree = tmp.resolve("www/pigsty");
        assertTrue(Files.readString(tree.resolve("repo_complete")).contains(sha + "  urlpkg-2.0-1.noarch.rpm"));
        assertTrue(Files.readString(tree.resolve("repo_complete")).contains("bash-5.1-1.x86_64.rpm"), "its /bin/sh dependency was not resolved");
        // dnf reads the record we derived from the RPM header and installs the package from the bundle.
        Path root = tmp.resolve("url-root");
        Files.createDirectories(root);
        Tools.run(tmp, List.of("dnf", "-y", "-q", "--installroot=" + root, "--setopt=reposdir=/dev/null",
                "--repofrompath=local,file://" + tree, "--nogpgcheck", "--forcearch=x86_64", "--releasever=9", "install", "urlpkg"), 300).ok();
        assertTrue(Files.isRegularFile(root.resolve("usr/bin/urlpkg")));
        // createrepo_c's own reading of the same package agrees with ours on the header range.
        Path check = tmp.resolve("cr-check");
        Files.createDirectories(check);
        Files.copy(rpm, check.resolve(rpm.getFileName()));
        Tools.run(check, "createrepo_c", "--no-database", ".").ok();
        String theirs = primaryOf(check), ours = primaryOf(tree);
        String range = theirs.substring(theirs.indexOf("<rpm:header-range"), theirs.indexOf("/>", theirs.indexOf("<rpm:header-range")));
        assertTrue(ours.contains(range), "header range differs from createrepo_c's: " + range);
    }

    static String primaryOf(Path repo) throws Exception {
        try (var s = Files.list(repo.resolve("repodata"))) {
            Path p = s.filter(x -> x.toString().endsWith("primary.xml.gz")).findFirst().orElseThrow();
            try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(p))) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
    }

    /** A repo whose primary.xml puts a package outside the repo: must be refused, not fetched. */
    static void unsafeRepo(Path dir, String href) throws Exception {
        String primary = """
                <?xml version="1.0" encoding="UTF-8"?>
                <metadata xmlns="http://linux.duke.edu/metadata/common" xmlns:rpm="http://linux.duke.edu/metadata/rpm" packages="1">
                <package type="rpm"><name>evil</name><arch>noarch</arch><version epoch="0" ver="1" rel="1"/>
                <checksum type="sha256" pkgid="YES">%s</checksum><summary>x</summary><description>x</description>
                <packager/><url/><time file="1" build="1"/><size package="1" installed="1" archive="1"/>
                <location href="%s"/><format/></package>
                </metadata>
                """.formatted("a".repeat(64), href);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(primary.getBytes(StandardCharsets.UTF_8));
        }
        Files.createDirectories(dir.resolve("repodata"));
        Files.write(dir.resolve("repodata/primary.xml.gz"), gz.toByteArray());
        String sum = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(gz.toByteArray()));
        Files.writeString(dir.resolve("repodata/repomd.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <repomd xmlns="http://linux.duke.edu/metadata/repo"><revision>1</revision>
                <data type="primary"><checksum type="sha256">%s</checksum><location href="repodata/primary.xml.gz"/><timestamp>1</timestamp></data>
                </repomd>
                """.formatted(sum));
    }
}
