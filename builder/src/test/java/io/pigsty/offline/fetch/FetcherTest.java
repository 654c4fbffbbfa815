package io.pigsty.offline.fetch;

import io.pigsty.offline.model.BuildException;
import io.pigsty.offline.model.Checksum;
import io.pigsty.offline.model.ExitCode;
import io.pigsty.offline.model.Log;
import io.pigsty.offline.model.Repo;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fetcher on its own, against MockWebServer: one retry policy, failover, resume, size cap, timeouts, roots. */
@Timeout(60)
class FetcherTest {
    @TempDir
    Path tmp;

    private final MockWebServer a = new MockWebServer(), b = new MockWebServer();
    private Fetcher fetcher;
    private Cache cache;

    private static final byte[] BODY = "the package payload, long enough to be cut in two halves".repeat(50)
            .getBytes(StandardCharsets.UTF_8);
    private static final Checksum SUM = Checksum.sha256(java.util.HexFormat.of().formatHex(Checksum.digest("SHA-256").digest(BODY)));

    @BeforeEach
    void start() throws Exception {
        a.start();
        b.start();
        cache = new Cache(tmp.resolve("cache"));
        fetcher = fetcher(2, Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() throws Exception {
        fetcher.close();
        a.shutdown();
        b.shutdown();
    }

    private Fetcher fetcher(int rounds, Duration readTimeout) {
        return new Fetcher(cache, new Fetcher.Settings(2, rounds, Duration.ofSeconds(2), readTimeout, Duration.ofMillis(10)), Log.QUIET);
    }

    private static String url(MockWebServer s, String path) {
        return s.url(path).toString();
    }

    private Fetcher.Job job(long size, String... urls) {
        return new Fetcher.Job("test file", List.of(urls), SUM, size);
    }

    private static MockResponse ok(byte[] body) {
        return new MockResponse().setBody(new Buffer().write(body));
    }

    /** Credentials in a URL go as basic auth, not in the request line, and no message shows them. */
    @Test
    void credentialsInAUrlAreSentAsBasicAuthAndNeverShown() throws Exception {
        a.enqueue(ok(BODY));
        String withCreds = url(a, "/pkg.rpm").replace("://", "://reader:s3cr%40t@");
        Path got = fetcher.fetchAll(List.of(job(BODY.length, withCreds)), Progress.silent()).get(0);
        assertArrayEquals(BODY, Files.readAllBytes(got));
        okhttp3.mockwebserver.RecordedRequest r = a.takeRequest(5, TimeUnit.SECONDS);
        assertEquals(okhttp3.Credentials.basic("reader", "s3cr@t"), r.getHeader("Authorization"));
        assertEquals("/pkg.rpm", r.getPath());
        a.enqueue(new MockResponse().setResponseCode(404));
        a.enqueue(new MockResponse().setResponseCode(404));
        Fetcher.Job other = new Fetcher.Job("other", List.of(withCreds.replace("pkg.rpm", "gone.rpm")), Checksum.sha256("b".repeat(64)), 10);
        Exception e = assertThrows(Exception.class, () -> fetcher.fetchAll(List.of(other), Progress.silent()));
        String shown = io.pigsty.offline.model.Secrets.redact(e.getMessage());
        assertTrue(shown.contains("://***@") && !shown.contains("s3cr") && !shown.contains("reader"), shown);
    }

    /** An endless index root is cut at its cap, and nothing of it stays in the cache. */
    @Test
    void anEndlessIndexRootIsCutAndNotKept() throws Exception {
        okio.Buffer big = new okio.Buffer();
        byte[] chunk = new byte[1 << 20];
        for (int i = 0; i < 17; i++) big.write(chunk);
        a.enqueue(new MockResponse().setBody(big));
        a.enqueue(new MockResponse().setBody(new okio.Buffer().write(new byte[1 << 20]).write(new byte[16 << 20])));
        Exception e = assertThrows(Exception.class, () -> fetcher.root(new io.pigsty.offline.model.Repo("r", 99, List.of(url(a, "/"))),
                "repodata/repomd.xml"));
        assertTrue(e.getMessage().contains("larger than the " + Fetcher.ROOT_MAX + " bytes an index root"), e.getMessage());
        try (java.util.stream.Stream<Path> s = Files.walk(cache.root())) {
            assertTrue(s.noneMatch(p -> p.toString().contains("roots/") && Files.isRegularFile(p)), "a partial root stayed in the cache");
        }
    }

    /** A mirror trickling a byte a second never trips the read timeout; the minimum rate gives it up for the next. */
    @Test
    void aTricklingMirrorIsGivenUpForTheNext() throws Exception {
        a.enqueue(ok(BODY).throttleBody(2, 1, TimeUnit.SECONDS));
        b.enqueue(ok(BODY));
        long t = System.nanoTime();
        Path got = fetcher.fetchAll(List.of(job(BODY.length, url(a, "/pkg"), url(b, "/pkg"))), Progress.silent()).get(0);
        assertArrayEquals(BODY, Files.readAllBytes(got));
        assertTrue(System.nanoTime() - t < TimeUnit.SECONDS.toNanos(20), "the trickle was not cut");
        // an index root trickled the same way: given up too, with the reason
        a.enqueue(ok(BODY).throttleBody(2, 1, TimeUnit.SECONDS));
        a.enqueue(ok(BODY).throttleBody(2, 1, TimeUnit.SECONDS));
        Exception e = assertThrows(Exception.class, () -> fetcher.root(new io.pigsty.offline.model.Repo("r", 99, List.of(url(a, "/"))),
                "repodata/repomd.xml"));
        assertTrue(e.getMessage().contains("slower than 1000 bytes/s"), e.getMessage());
    }

    @Test
    void aServerErrorIsRetriedInTheNextRound() throws Exception {
        a.enqueue(new MockResponse().setResponseCode(503));
        a.enqueue(ok(BODY));
        Path got = fetcher.fetch(job(BODY.length, url(a, "/p.rpm")), Progress.silent());
        assertArrayEquals(BODY, Files.readAllBytes(got));
        assertEquals(cache.blob(SUM), got);
        assertEquals(2, a.getRequestCount());
    }

    @Test
    void aMissingFileFailsOverToTheNextMirrorWithoutRetrying() throws Exception {
        a.enqueue(new MockResponse().setResponseCode(404));
        b.enqueue(ok(BODY));
        Path got = fetcher.fetch(job(BODY.length, url(a, "/p.rpm"), url(b, "/p.rpm")), Progress.silent());
        assertArrayEquals(BODY, Files.readAllBytes(got));
        assertEquals(1, a.getRequestCount());
        assertEquals(1, b.getRequestCount());
    }

    @Test
    void corruptContentIsNeverCachedAndTheNextMirrorServes() throws Exception {
        byte[] bad = BODY.clone();
        bad[7] ^= 1;
        a.enqueue(ok(bad));
        b.enqueue(ok(BODY));
        Path got = fetcher.fetch(job(BODY.length, url(a, "/p.rpm"), url(b, "/p.rpm")), Progress.silent());
        assertArrayEquals(BODY, Files.readAllBytes(got));
        assertFalse(Files.exists(cache.partial(SUM)));
    }

    @Test
    void aPartialFileIsResumedWithRange() throws Exception {
        int half = BODY.length / 2;
        Files.createDirectories(cache.partial(SUM).getParent());
        Files.write(cache.partial(SUM), java.util.Arrays.copyOf(BODY, half));
        a.enqueue(new MockResponse().setResponseCode(206)
                .setHeader("Content-Range", "bytes " + half + "-" + (BODY.length - 1) + "/" + BODY.length)
                .setBody(new Buffer().write(java.util.Arrays.copyOfRange(BODY, half, BODY.length))));
        Path got = fetcher.fetch(job(BODY.length, url(a, "/p.rpm")), Progress.silent());
        assertArrayEquals(BODY, Files.readAllBytes(got));
        RecordedRequest r = a.takeRequest(5, TimeUnit.SECONDS);
        assertEquals("bytes=" + half + "-", r.getHeader("Range"));
    }

    @Test
    void aServerSendingMoreThanTheStatedSizeIsCutOff() {
        byte[] big = new byte[BODY.length * 4];
        a.enqueue(ok(big));
        a.enqueue(ok(big));
        BuildException e = assertThrows(BuildException.class,
                () -> fetcher.fetch(job(BODY.length, url(a, "/p.rpm")), Progress.silent()));
        assertEquals(ExitCode.NETWORK, e.exitCode());
        assertTrue(e.getMessage().contains("larger than the " + BODY.length + " bytes"), e.getMessage());
        assertFalse(Files.exists(cache.blob(SUM)));
        assertFalse(Files.exists(cache.partial(SUM)));
    }

    @Test
    void aStalledMirrorTimesOutAndTheNextServes() throws Exception {
        fetcher.close();
        fetcher = fetcher(1, Duration.ofMillis(300));
        a.enqueue(ok(BODY).throttleBody(16, 1, TimeUnit.SECONDS));
        b.enqueue(ok(BODY));
        long t = System.nanoTime();
        Path got = fetcher.fetch(job(BODY.length, url(a, "/p.rpm"), url(b, "/p.rpm")), Progress.silent());
        assertArrayEquals(BODY, Files.readAllBytes(got));
        assertTrue(System.nanoTime() - t < TimeUnit.SECONDS.toNanos(10), "the stall was cut by the read timeout");
    }

    @Test
    void everyMirrorFailingNamesEveryUrlAfterEveryRound() {
        for (int i = 0; i < 2; i++) {
            a.enqueue(new MockResponse().setResponseCode(500));
            b.enqueue(new MockResponse().setResponseCode(502));
        }
        BuildException e = assertThrows(BuildException.class,
                () -> fetcher.fetch(job(BODY.length, url(a, "/p.rpm"), url(b, "/p.rpm")), Progress.silent()));
        assertEquals(ExitCode.NETWORK, e.exitCode());
        assertTrue(e.getMessage().contains(url(a, "/p.rpm") + ": HTTP 500"), e.getMessage());
        assertTrue(e.getMessage().contains(url(b, "/p.rpm") + ": HTTP 502"), e.getMessage());
        assertEquals(2, a.getRequestCount()); // two rounds over both mirrors
        assertEquals(2, b.getRequestCount());
    }

    @Test
    void aCachedFileIsVerifiedAndReusedWithoutTheNetwork() throws Exception {
        a.enqueue(ok(BODY));
        fetcher.fetch(job(BODY.length, url(a, "/p.rpm")), Progress.silent());
        Path again = fetcher.fetch(job(BODY.length, url(a, "/p.rpm")), Progress.silent());
        assertArrayEquals(BODY, Files.readAllBytes(again));
        assertEquals(1, a.getRequestCount());
        Files.write(again, "changed in place".getBytes(StandardCharsets.UTF_8));
        a.enqueue(ok(BODY));
        assertArrayEquals(BODY, Files.readAllBytes(fetcher.fetch(job(BODY.length, url(a, "/p.rpm")), Progress.silent())));
        assertEquals(2, a.getRequestCount());
    }

    @Test
    void rootsAreRevalidatedByEtagAndMissingOptionalRootsAreNull() throws Exception {
        Repo repo = new Repo("r", 99, List.of(url(a, "/repo/")));
        a.enqueue(new MockResponse().setBody("<repomd/>").setHeader("ETag", "\"v1\""));
        Path first = fetcher.root(repo, "repodata/repomd.xml");
        assertEquals("<repomd/>", Files.readString(first));
        a.enqueue(new MockResponse().setResponseCode(304));
        Path second = fetcher.root(repo, "repodata/repomd.xml");
        assertEquals("<repomd/>", Files.readString(second));
        a.takeRequest();
        assertEquals("\"v1\"", a.takeRequest().getHeader("If-None-Match"));
        a.enqueue(new MockResponse().setResponseCode(404));
        assertNull(fetcher.optionalRoot(repo, "InRelease"));
        a.enqueue(new MockResponse().setResponseCode(404));
        BuildException e = assertThrows(BuildException.class, () -> fetcher.root(repo, "Release"));
        assertTrue(e.getMessage().contains("not found on any mirror"), e.getMessage());
    }

    @Test
    void aRootThatCannotBeRefreshedFallsBackToTheCachedCopy() throws Exception {
        Repo repo = new Repo("r", 99, List.of(url(a, "/repo/")));
        a.enqueue(new MockResponse().setBody("<repomd rev='1'/>"));
        fetcher.root(repo, "repodata/repomd.xml");
        for (int i = 0; i < 2; i++) a.enqueue(new MockResponse().setResponseCode(503));
        assertEquals("<repomd rev='1'/>", Files.readString(fetcher.root(repo, "repodata/repomd.xml")));
    }

    @Test
    void aNotFoundAfterAServerErrorIsAFlakyMirrorNotAMissingFile() throws Exception {
        Repo repo = new Repo("r", 99, List.of(url(a, "/repo/")));
        a.enqueue(new MockResponse().setBody("Suite: stable\n"));
        fetcher.optionalRoot(repo, "InRelease");
        a.enqueue(new MockResponse().setResponseCode(503));
        a.enqueue(new MockResponse().setResponseCode(404));
        assertEquals("Suite: stable\n", Files.readString(fetcher.optionalRoot(repo, "InRelease")), "the cached copy, not 'absent'");
    }

    @Test
    void aFileOfUnknownChecksumIsStoredByItsSha256() throws Exception {
        a.enqueue(ok(BODY));
        Path got = fetcher.fetchUnknown("url package", url(a, "/x.rpm"));
        assertEquals(cache.blob(SUM), got);
        assertArrayEquals(BODY, Files.readAllBytes(got));
    }

    /**
     * Plain-http repos use a client without TLS; an https mirror, and an http mirror that redirects
     * to https, go through the TLS client, which checks the certificate against the trust store.
     */
    @Test
    void httpsAndARedirectToHttpsAreFetchedOverVerifiedTls() throws Exception {
        Path ks = tmp.resolve("server.p12"), crt = tmp.resolve("server.crt"), trust = tmp.resolve("trust.p12");
        for (List<String> cmd : List.of(
                List.of("keytool", "-genkeypair", "-alias", "srv", "-keyalg", "EC", "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1,dns:localhost",
                        "-validity", "2", "-keystore", ks.toString(), "-storetype", "PKCS12", "-storepass", "changeit"),
                List.of("keytool", "-exportcert", "-alias", "srv", "-keystore", ks.toString(), "-storepass", "changeit", "-file", crt.toString()),
                List.of("keytool", "-importcert", "-noprompt", "-alias", "srv", "-file", crt.toString(), "-keystore", trust.toString(),
                        "-storetype", "PKCS12", "-storepass", "changeit")))
            assertEquals(0, new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("keytool.log").toFile())
                    .start().waitFor(), () -> cmd + " failed");
        java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(ks)) {
            store.load(in, "changeit".toCharArray());
        }
        javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, "changeit".toCharArray());
        javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        MockWebServer secure = new MockWebServer();
        secure.useHttps(ctx.getSocketFactory(), false);
        secure.start();
        try {
            // not trusted: the certificate is refused, the body never cached
            secure.enqueue(ok(BODY));
            BuildException untrusted = assertThrows(BuildException.class, () -> fetcher(1, Duration.ofSeconds(5))
                    .fetch(job(-1, url(secure, "/p.rpm")), Progress.silent()));
            assertTrue(untrusted.getMessage().contains("PKIX") || untrusted.getMessage().contains("certif"), untrusted.getMessage());
            assertFalse(Files.exists(cache.blob(SUM)));
            String old = System.getProperty("javax.net.ssl.trustStore");
            System.setProperty("javax.net.ssl.trustStore", trust.toString());
            System.setProperty("javax.net.ssl.trustStorePassword", "changeit");
            try (Fetcher trusting = fetcher(1, Duration.ofSeconds(5))) {
                secure.enqueue(ok(BODY));
                assertArrayEquals(BODY, Files.readAllBytes(trusting.fetch(job(-1, url(secure, "/p.rpm")), Progress.silent())));
                Files.delete(cache.blob(SUM));
                a.enqueue(new MockResponse().setResponseCode(302).setHeader("Location", url(secure, "/moved.rpm")));
                secure.enqueue(ok(BODY));
                assertArrayEquals(BODY, Files.readAllBytes(trusting.fetch(job(-1, url(a, "/p.rpm")), Progress.silent())));
                RecordedRequest last = null;
                for (RecordedRequest r; (r = secure.takeRequest(0, TimeUnit.SECONDS)) != null; ) last = r;
                assertEquals("/moved.rpm", last.getPath(), "the redirect was followed over TLS");
                // credentials for one host are not sent to the host a redirect names
                Files.delete(cache.blob(SUM));
                a.enqueue(new MockResponse().setResponseCode(302).setHeader("Location",
                        "https://127.0.0.1:" + secure.getPort() + "/other.rpm"));
                secure.enqueue(ok(BODY));
                String withCreds = url(a, "/p.rpm").replace("http://", "http://user:secret@");
                assertArrayEquals(BODY, Files.readAllBytes(trusting.fetch(job(-1, withCreds), Progress.silent())));
                RecordedRequest first = null;
                for (RecordedRequest r; (r = a.takeRequest(0, TimeUnit.SECONDS)) != null; ) first = r;
                assertTrue(first.getHeader("Authorization") != null, "the first host gets the credentials");
                RecordedRequest moved = secure.takeRequest(5, TimeUnit.SECONDS);
                assertEquals("/other.rpm", moved.getPath());
                assertNull(moved.getHeader("Authorization"), "the credentials followed the redirect to another host");
            } finally {
                if (old == null) System.clearProperty("javax.net.ssl.trustStore");
                else System.setProperty("javax.net.ssl.trustStore", old);
                System.clearProperty("javax.net.ssl.trustStorePassword");
            }
        } finally {
            secure.shutdown();
        }
    }
}
