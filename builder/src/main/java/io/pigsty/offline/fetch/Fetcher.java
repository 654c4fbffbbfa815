package io.pigsty.offline.fetch;

import io.pigsty.offline.metadata.MetaSource;
import io.pigsty.offline.model.BuildException;
import io.pigsty.offline.model.Checksum;
import io.pigsty.offline.model.ExitCode;
import io.pigsty.offline.model.Log;
import io.pigsty.offline.model.Repo;
import okhttp3.ConnectionPool;
import okhttp3.ConnectionSpec;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Every download of a build: index roots (revalidated), checksummed metadata and packages (from the
 * cache when present). Each file tries the repo's mirrors in order, retries with backoff on resets,
 * timeouts, 5xx and 429, resumes partial files with Range, and is verified against its checksum
 * before it enters the cache. Nothing unverified is ever returned.
 */
public final class Fetcher implements MetaSource, AutoCloseable {

    /** Tunables: parallel transfers, rounds over the mirrors, timeouts and the backoff between rounds. */
    public record Settings(int jobs, int rounds, Duration connectTimeout, Duration readTimeout, Duration backoff) {}

    /**
     * dnf's minrate: a transfer slower than this over a whole {@code readTimeout} window is given up
     * and the next mirror tried (the read timeout alone is beaten by a server trickling a byte at a time).
     */
    static final long MIN_BYTES_PER_SECOND = 1000;

    /** An index root is a few KiB (Debian's InRelease about 150 KiB): anything past this is not one. */
    static final long ROOT_MAX = 16L << 20;

    /** Fails a transfer whose rate stays under {@link #MIN_BYTES_PER_SECOND} for a whole window. */
    private static final class RateGuard {
        private final long windowNanos;
        private long start = System.nanoTime(), bytes;

        RateGuard(Duration window) {
            windowNanos = Math.max(1, window.toNanos());
        }

        void add(int n) throws IOException {
            bytes += n;
            long now = System.nanoTime();
            if (now - start < windowNanos) return;
            double seconds = (now - start) / 1e9;
            if (bytes < MIN_BYTES_PER_SECOND * seconds)
                throw new java.net.SocketTimeoutException(String.format(java.util.Locale.ROOT,
                        "slower than %d bytes/s for %.0f s (%d bytes); giving this mirror up", MIN_BYTES_PER_SECOND, seconds, bytes));
            start = now;
            bytes = 0;
        }
    }

    /** One file to fetch into the cache: where it may be found, what it must hash to, its size (-1 if unknown). */
    public record Job(String what, List<String> urls, Checksum checksum, long size) {}

    private final Cache cache;
    private final Settings settings;
    private final Log log;
    private final java.util.concurrent.FutureTask<OkHttpClient> http;
    private volatile OkHttpClient tls;
    private final Retry retry;
    private final Map<Path, ReentrantLock> inFlight = new ConcurrentHashMap<>();
    /** The mirror that served a repo's root, tried first for the files that root names. */
    private final Map<Repo, String> rootMirror = new ConcurrentHashMap<>();

    public Fetcher(Cache cache, Settings settings, Log log) {
        this.cache = cache;
        this.settings = settings;
        this.log = log;
        // Plain-http repos (loopback mirrors, most air-gap setups) never pay for TLS: OkHttp loads the
        // trust store and sets up TLS when a client allows it, about a tenth of a warm plan. The TLS
        // client shares the pool and dispatcher and is made on the first https URL or redirect.
        // The first client of a run costs 30-50 ms (OkHttp's and Kotlin's classes, the JDK logging
        // OkHttp sets up): it is made on a thread of its own while the caller reads the configuration.
        this.http = new java.util.concurrent.FutureTask<>(() -> client(settings));
        this.retry = new Retry(settings.rounds(), settings.backoff());
        Thread maker = new Thread(http, "http-client");
        maker.setDaemon(true);
        maker.start();
    }

    private OkHttpClient client(Settings settings) {
        // OkHttp's first request asks which security provider comes first, which loads them all
        // (10-15 ms): done here too, off the caller's path.
        java.security.Security.getProviders();
        return new OkHttpClient.Builder()
                .connectTimeout(settings.connectTimeout())
                .readTimeout(settings.readTimeout())
                .connectionPool(new ConnectionPool(Math.max(5, settings.jobs()), 5, TimeUnit.MINUTES))
                .connectionSpecs(List.of(ConnectionSpec.CLEARTEXT))
                .retryOnConnectionFailure(true)
                .followRedirects(true)
                .followSslRedirects(false)
                .addInterceptor(Fetcher::basicAuth)
                .addInterceptor(this::toTls)
                .build();
    }

    private OkHttpClient http() {
        try {
            return http.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the HTTP client was made", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error r) throw r;
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * A URL that carries credentials ({@code https://user:token@host/}) is asked for with HTTP basic
     * auth; OkHttp drops the header if a redirect leaves for another host.
     */
    private static Response basicAuth(okhttp3.Interceptor.Chain chain) throws IOException {
        Request r = chain.request();
        okhttp3.HttpUrl u = r.url();
        if (u.username().isEmpty() || r.header("Authorization") != null) return chain.proceed(r);
        return chain.proceed(r.newBuilder().url(u.newBuilder().username("").password("").build())
                .header("Authorization", okhttp3.Credentials.basic(u.username(), u.password())).build());
    }

    /** An https request, or an http one redirected to https, goes through the TLS client. */
    private Response toTls(okhttp3.Interceptor.Chain chain) throws IOException {
        Request r = chain.request();
        if (r.url().isHttps()) return tls().newCall(r).execute();
        Response resp = chain.proceed(r);
        okhttp3.HttpUrl to = resp.isRedirect() ? resp.request().url().resolve(resp.header("Location", "")) : null;
        if (to == null || !to.isHttps()) return resp;
        resp.close();
        Request.Builder next = r.newBuilder().url(to);
        if (!to.host().equals(r.url().host())) next.removeHeader("Authorization"); // credentials stay with their host, as in OkHttp
        return tls().newCall(next.build()).execute();
    }

    private OkHttpClient tls() {
        OkHttpClient c = tls;
        if (c == null) {
            synchronized (this) {
                if (tls == null) {
                    OkHttpClient.Builder b = http().newBuilder()
                            .connectionSpecs(List.of(ConnectionSpec.MODERN_TLS, ConnectionSpec.CLEARTEXT))
                            .followSslRedirects(true);
                    b.interceptors().clear();
                    tls = b.addInterceptor(Fetcher::basicAuth).build();
                }
                c = tls;
            }
        }
        return c;
    }

    public Cache cache() {
        return cache;
    }

    // ---- index roots ----------------------------------------------------------------------------

    @Override
    public Path root(Repo repo, String path) throws IOException {
        Path p = fetchRoot(repo, path, false);
        if (p == null) throw new BuildException(ExitCode.NETWORK, "repo " + repo.name() + ": " + path
                + " not found on any mirror (" + String.join(", ", urls(repo, path, null)) + ")");
        return p;
    }

    @Override
    public Path optionalRoot(Repo repo, String path) throws IOException {
        return fetchRoot(repo, path, true);
    }

    private Path fetchRoot(Repo repo, String path, boolean optional) throws IOException {
        List<String> urls = urls(repo, path, null);
        try {
            return retry.run(urls, (url, mirror) -> {
                Path got = revalidate(url);
                rootMirror.put(repo, repo.baseUrls().get(mirror));
                return got;
            });
        } catch (Retry.Exhausted e) {
            if (e.notFound) return null;
            // A flaky network should not stop a build that has fetched this root before.
            for (String url : urls) {
                Path cached = cache.rootFile(url);
                if (Files.exists(cached)) {
                    log.warn("repo " + repo.name() + ": cannot refresh " + path + " (" + e.errors.get(e.errors.size() - 1)
                            + "); using the copy cached at " + Files.getLastModifiedTime(cached));
                    return cached;
                }
            }
            throw new BuildException(ExitCode.NETWORK, "repo " + repo.name() + ": cannot fetch " + path
                    + "\n  " + e.getMessage() + "\n  check the network or the repo's baseurl"
                    + " (override it with --mirror " + repo.name() + "=URL)");
        }
    }

    /** GET with the cached validators; returns the cached file, refreshed if changed. */
    private Path revalidate(String url) throws IOException {
        Path file = cache.rootFile(url);
        Path validators = cache.rootValidators(url);
        Request.Builder rb = new Request.Builder().url(url);
        if (Files.exists(file) && Files.exists(validators)) {
            List<String> v = Files.readAllLines(validators);
            if (v.size() >= 1 && !v.get(0).isEmpty()) rb.header("If-None-Match", v.get(0));
            if (v.size() >= 2 && !v.get(1).isEmpty()) rb.header("If-Modified-Since", v.get(1));
        }
        try (Response resp = http().newCall(rb.build()).execute()) {
            if (resp.code() == 304) return file;
            if (!resp.isSuccessful()) throw new Retry.HttpStatus(resp.code());
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp" + ProcessHandle.current().pid());
            try (InputStream in = body(resp).byteStream(); OutputStream out = local(() -> Files.newOutputStream(tmp), tmp)) {
                byte[] buf = new byte[1 << 16];
                RateGuard rate = new RateGuard(settings.readTimeout());
                long total = 0;
                int n;
                while ((n = in.read(buf)) > 0) {
                    rate.add(n);
                    if ((total += n) > ROOT_MAX)
                        throw new Retry.Corrupt("larger than the " + ROOT_MAX + " bytes an index root (repomd.xml, InRelease) may be");
                    write(out, buf, n, tmp);
                }
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(tmp);
                throw e;
            }
            local(() -> Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE), file);
            String etag = resp.header("ETag", ""), lm = resp.header("Last-Modified", "");
            local(() -> Files.writeString(validators, etag + "\n" + lm + "\n"), validators);
            return file;
        }
    }

    /** A local file operation: its failure (a full disk...) is the build's, never a mirror's, so it is not retried. */
    interface LocalOp<T> {
        T run() throws IOException;
    }

    private static <T> T local(LocalOp<T> op, Path file) {
        try {
            return op.run();
        } catch (IOException e) {
            throw BuildException.local("write", file, e);
        }
    }

    private static void write(OutputStream out, byte[] buf, int n, Path file) {
        try {
            out.write(buf, 0, n);
        } catch (IOException e) {
            throw BuildException.local("write", file, e);
        }
    }

    // ---- checksummed files ----------------------------------------------------------------------

    @Override
    public Path file(Repo repo, String path, Checksum expected, long size) throws IOException {
        return fetch(new Job("repo " + repo.name() + ": " + path, urls(repo, path, rootMirror.get(repo)), expected, size),
                Progress.silent());
    }

    @Override
    public Path derived(String name) {
        return cache.derived(name);
    }

    /** Fetches every job into the cache with {@code settings.jobs()} parallel transfers. */
    public List<Path> fetchAll(List<Job> jobs, Progress progress) throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, settings.jobs()), r -> {
            Thread t = new Thread(r, "fetch");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Path>> futures = new ArrayList<>();
            for (Job j : jobs) futures.add(pool.submit(() -> fetch(j, progress)));
            List<Path> out = new ArrayList<>();
            List<String> failures = new ArrayList<>();
            BuildException local = null;
            for (Future<Path> f : futures) {
                try {
                    out.add(f.get());
                } catch (ExecutionException e) {
                    // a local failure (the disk is full) is the build's own: report it, not as a network error
                    if (e.getCause() instanceof BuildException b && b.exitCode() != ExitCode.NETWORK && local == null) local = b;
                    failures.add(e.getCause().getMessage());
                    out.add(null);
                }
            }
            if (local != null) throw local;
            if (!failures.isEmpty())
                throw new BuildException(ExitCode.NETWORK, failures.size() + " of " + jobs.size()
                        + " downloads failed:\n" + String.join("\n", failures));
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while downloading");
        } finally {
            pool.shutdownNow();
        }
    }

    /** Fetches one verified file into the cache, or returns the cached one. */
    public Path fetch(Job job, Progress progress) throws IOException {
        Path dest = cache.blob(job.checksum());
        ReentrantLock lock = inFlight.computeIfAbsent(dest, k -> new ReentrantLock());
        lock.lock();
        try {
            if (reusable(dest, job)) {
                progress.addBytes(Files.size(dest));
                progress.fileDone();
                return dest;
            }
            Files.createDirectories(dest.getParent());
            Path part = cache.partial(job.checksum());
            // Another build on this machine may be fetching the same file: the OS lock keeps us apart.
            try (FileChannel ch = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = ch.lock()) {
                if (reusable(dest, job)) {
                    progress.addBytes(Files.size(dest));
                    progress.fileDone();
                    return dest;
                }
                download(job, part, dest, progress);
                progress.fileDone();
                return dest;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether the cache already holds this file intact. Cached files are hashed again on every use:
     * the repo tree hard-links them, so a package changed in place there (signed, truncated) must
     * not be trusted here.
     */
    private boolean reusable(Path dest, Job job) throws IOException {
        if (!Files.exists(dest)) return false;
        MessageDigest md = Checksum.digest(job.checksum().algo());
        try (InputStream in = Files.newInputStream(dest)) {
            digestInto(in, md);
        }
        if (HexFormat.of().formatHex(md.digest()).equals(job.checksum().hex())) return true;
        log.warn("cached copy of " + job.what() + " does not match " + job.checksum() + " any more; fetching it again");
        Files.delete(dest);
        return false;
    }

    private void download(Job job, Path part, Path dest, Progress progress) throws IOException {
        try {
            retry.run(job.urls(), (url, mirror) -> {
                transfer(url, part, job.checksum(), job.size(), progress);
                Files.move(part, dest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                return dest;
            });
        } catch (Retry.Exhausted e) {
            throw new BuildException(ExitCode.NETWORK, job.what() + " (" + job.checksum() + "): every mirror failed\n  "
                    + e.getMessage());
        }
    }

    /**
     * Brings {@code part} to completion from {@code url} (resuming what it holds) and verifies it.
     * A mismatch deletes the partial file so the next attempt starts clean.
     */
    private void transfer(String url, Path part, Checksum sum, long size, Progress progress) throws IOException {
        long have = Files.exists(part) ? Files.size(part) : 0;
        Request.Builder rb = new Request.Builder().url(url);
        if (have > 0) rb.header("Range", "bytes=" + have + "-");
        MessageDigest md = Checksum.digest(sum.algo());
        try (Response resp = http().newCall(rb.build()).execute()) {
            boolean append;
            if (resp.code() == 206 && have > 0 && rangeStartsAt(resp.header("Content-Range"), have)) {
                append = true;
            } else if (resp.code() == 416 && have > 0) {
                append = true; // we may already hold the whole file: verify below
            } else if (resp.code() == 200) {
                append = false;
            } else {
                throw new Retry.HttpStatus(resp.code());
            }
            if (append) {
                try (InputStream old = Files.newInputStream(part)) {
                    digestInto(old, md);
                }
            }
            if (resp.code() != 416) {
                try (InputStream in = body(resp).byteStream();
                     OutputStream out = local(() -> Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                             append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING), part)) {
                    byte[] buf = new byte[1 << 16];
                    long total = append ? have : 0;
                    RateGuard rate = new RateGuard(settings.readTimeout());
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        rate.add(n);
                        // A mirror sending more than the metadata's size is wrong (or hostile): stop before it fills the disk.
                        if (size > 0 && (total += n) > size) {
                            out.close();
                            Files.deleteIfExists(part);
                            throw new Retry.Corrupt("larger than the " + size + " bytes the metadata states");
                        }
                        write(out, buf, n, part);
                        md.update(buf, 0, n);
                        progress.addBytes(n);
                    }
                }
            }
        }
        String got = HexFormat.of().formatHex(md.digest());
        if (!got.equals(sum.hex())) {
            Files.deleteIfExists(part);
            throw new Retry.Corrupt("checksum mismatch: expected " + sum + ", got " + sum.metadataName() + ":" + got);
        }
        // The record is carried into the bundle as it is: a size that disagrees with the file would make
        // the target's apt or dnf refuse it ("Hash Sum mismatch"), so the build refuses it first.
        long actual = Files.size(part);
        if (size > 0 && actual != size)
            throw new Retry.Corrupt("the metadata says " + size + " bytes but the file (whose checksum matches) has " + actual
                    + "; the repo's index is inconsistent");
    }

    /** Downloads a file whose checksum is not known ahead, stores it in the cache by its sha256. */
    public Path fetchUnknown(String what, String url) throws IOException {
        Path scratch = cache.scratch(url);
        try {
            return retry.run(List.of(url), (u, mirror) -> {
                try (Response resp = http().newCall(new Request.Builder().url(u).build()).execute()) {
                    if (!resp.isSuccessful()) throw new Retry.HttpStatus(resp.code());
                    MessageDigest md = Checksum.digest("SHA-256");
                    try (InputStream in = body(resp).byteStream(); OutputStream out = Files.newOutputStream(scratch)) {
                        byte[] buf = new byte[1 << 16];
                        int n;
                        while ((n = in.read(buf)) > 0) {
                            out.write(buf, 0, n);
                            md.update(buf, 0, n);
                        }
                    }
                    return cache.store(scratch, Checksum.sha256(HexFormat.of().formatHex(md.digest())));
                }
            });
        } catch (Retry.Exhausted e) {
            Files.deleteIfExists(scratch);
            throw new BuildException(ExitCode.NETWORK, what + ": cannot download\n  " + e.getMessage());
        }
    }

    // ---- helpers --------------------------------------------------------------------------------

    /** The URLs of {@code path} below each of the repo's mirrors, in the order to try them. */
    public static List<String> mirrors(Repo repo, String path) {
        return urls(repo, path, null);
    }

    /** The URLs of {@code path} on each of the repo's mirrors, {@code first} (if any) first. */
    private static List<String> urls(Repo repo, String path, String first) {
        List<String> out = new ArrayList<>();
        if (first != null) out.add(join(first, path));
        for (String base : repo.baseUrls()) {
            String u = join(base, path);
            if (!out.contains(u)) out.add(u);
        }
        return out;
    }

    private static String join(String base, String path) {
        return base.endsWith("/") ? base + path : base + "/" + path;
    }

    private static boolean rangeStartsAt(String contentRange, long at) {
        return contentRange != null && contentRange.startsWith("bytes " + at + "-");
    }

    private static void digestInto(InputStream in, MessageDigest md) throws IOException {
        byte[] buf = new byte[1 << 16];
        int n;
        while ((n = in.read(buf)) > 0) md.update(buf, 0, n);
    }

    private static ResponseBody body(Response resp) throws IOException {
        ResponseBody b = resp.body();
        if (b == null) throw new IOException("empty response");
        return b;
    }

    @Override
    public void close() {
        http().dispatcher().executorService().shutdown();
        http().connectionPool().evictAll();
    }
}
