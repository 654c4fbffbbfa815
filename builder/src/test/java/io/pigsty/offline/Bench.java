package io.pigsty.offline;

import io.pigsty.offline.fixtures.FileServer;
import io.pigsty.offline.fixtures.Homes;
import io.pigsty.offline.fixtures.LocalMeta;
import io.pigsty.offline.fixtures.Rpms;
import io.pigsty.offline.fixtures.SyntheticRepo;
import io.pigsty.offline.fixtures.Tools;
import io.pigsty.offline.format.Format;
import io.pigsty.offline.format.IndexSet;
import io.pigsty.offline.format.rpm.RpmFormat;
import io.pigsty.offline.metadata.MetaSource;
import io.pigsty.offline.metadata.Metadata;
import io.pigsty.offline.metadata.MetadataLoader;
import io.pigsty.offline.model.Log;
import io.pigsty.offline.model.Package;
import io.pigsty.offline.model.Repo;
import io.pigsty.offline.model.Universe;
import io.pigsty.offline.pack.Tarball;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Benchmarks, not timed tests: each row runs our code and the peer tool on the same input in the
 * same run, prints both and their ratio. Run with {@code mvn -Pbench verify -pl builder -am} (add
 * {@code -Dbench.only=debian,pack} for some rows); the table is also written to {@code builder/target/bench.txt}.
 */
@Tag("bench")
class Bench {
    @TempDir
    Path tmp;

    private final StringBuilder table = new StringBuilder();

    private void row(String what, String ours, String peer, String ratio, String target) {
        String line = String.format(Locale.ROOT, "| %-46s | %-22s | %-26s | %-8s | %-22s |%n", what, ours, peer, ratio, target);
        table.append(line);
        System.out.print(line);
        System.out.flush();
    }

    @FunctionalInterface
    interface Work {
        void run() throws Exception;
    }

    static double seconds(Work w) throws Exception {
        long t = System.nanoTime();
        w.run();
        return (System.nanoTime() - t) / 1e9;
    }

    static double best(int n, Work w) throws Exception {
        double b = Double.MAX_VALUE;
        for (int i = 0; i < n; i++) b = Math.min(b, seconds(w));
        return b;
    }

    static MetaSource local(Path dir) {
        return new LocalMeta(dir);
    }

    static final Repo BENCH = new Repo("bench", 99, List.of("http://127.0.0.1/"));

    static Metadata load(Path dir) throws Exception {
        return MetadataLoader.load(List.of(new Format.Source(BENCH, List.of(), false, false, null)), RpmFormat.INSTANCE,
                "x86_64", local(dir), Log.QUIET);
    }

    /**
     * The builder as a user runs it: {@code ./build} with its JVM flags and class-data archive (C1 for
     * plan), which needs the jar of these very sources; build it first (mvn -DskipTests install).
     */
    private static boolean jarChecked;

    static List<String> builder(String... args) {
        Path root = Path.of("..").toAbsolutePath().normalize();
        if (!jarChecked) { // once, outside the timed runs
            Path jar = root.resolve("builder/target/pigsty-builder.jar");
            String stale = Tools.run(root, List.of("sh", "-c", "find builder/src/main launcher/src/main bundle/src/main builder/pom.xml pom.xml"
                    + " -newer builder/target/pigsty-builder.jar -print -quit"), 60).out().trim();
            if (!Files.isRegularFile(jar) || !stale.isEmpty())
                throw new AssertionError("the bench times ./build as users run it, and " + jar + " is " + (stale.isEmpty() ? "missing"
                        : "older than " + stale) + ": run mvn -q -B -DskipTests install first");
            jarChecked = true;
        }
        List<String> c = new ArrayList<>(List.of(root.resolve("build").toString()));
        c.addAll(List.of(args));
        return c;
    }

    static List<String> dnf(Path root, Path repo, String... args) {
        List<String> c = new ArrayList<>(List.of("dnf", "-q", "--installroot=" + root, "--setopt=reposdir=/dev/null",
                "--repofrompath=bench,file://" + repo, "--releasever=9", "--forcearch=x86_64", "--nogpgcheck"));
        c.addAll(List.of(args));
        return c;
    }

    @Test
    void table() throws Exception {
        Tools.require("dnf", "apt-get", "createrepo_c", "pigz", "zstd", "tar", "time");
        row("benchmark", "ours", "peer", "peer/ours", "target");
        row("-".repeat(46), "-".repeat(22), "-".repeat(26), "-".repeat(8), "-".repeat(22));
        // -Dbench.only=parse,debian runs only those rows
        String only = System.getProperty("bench.only", "parse,plan,debian,repodata,pack,image,solve,e2e,sbom,rpmsig");
        if (only.contains("parse")) parse();
        if (only.contains("plan")) plan();
        if (only.contains("debian")) debian();
        if (only.contains("repodata")) repodata();
        if (only.contains("pack")) pack();
        if (only.contains("image")) image();
        if (only.contains("solve")) solve();
        if (only.contains("e2e")) endToEnd();
        if (only.contains("sbom")) sbom();
        if (only.contains("rpmsig")) rpmSignatures();
        Files.writeString(Path.of("target/bench.txt"), table);
    }

    /** primary.xml.gz of 20,000 packages: our reader vs dnf building its solv cache. */
    void parse() throws Exception {
        Path repo = tmp.resolve("syn20k");
        SyntheticRepo.write(repo, 20_000, 1);
        for (int i = 0; i < 3; i++) load(repo); // warm the JIT as a long build would be
        double ours = best(5, () -> load(repo));
        double dnf = best(3, () -> {
            Path root = Files.createTempDirectory(tmp, "dnfroot");
            Tools.run(tmp, dnf(root, repo, "makecache"), 600).ok();
        });
        row("parse primary.xml.gz, 20,000 packages", String.format(Locale.ROOT, "%.2fs (%,d pkg/s)", ours, (long) (20_000 / ours)),
                String.format(Locale.ROOT, "dnf makecache %.2fs", dnf), ratio(dnf, ours), ">= 50,000 pkg/s");
    }

    /** 300 requested packages from a 40,000-package universe, JVM start included, warm cache. */
    void plan() throws Exception {
        Path up = tmp.resolve("syn40k");
        SyntheticRepo.write(up.resolve("repo"), 40_000, 2);
        List<String> names = IntStream.range(0, 300).map(i -> 39_999 - i * 37).mapToObj(SyntheticRepo::name).collect(Collectors.toList());
        try (FileServer server = new FileServer(up)) {
            Path home = Homes.el9(tmp.resolve("plan-home"), String.join(" ", names), Map.of("bench", server.url("repo/")));
            List<String> cmd = builder("plan", "--os", "el9", "--home", home.toString(), "--cache",
                    tmp.resolve("plan-cache").toString(), "-q", "--no-launcher");
            // ./build dumps its class-data archive after the first real command of a new jar: not timed
            List<String> untimed = new ArrayList<>(cmd);
            untimed.set(untimed.indexOf("--cache") + 1, tmp.resolve("plan-cache-untimed").toString());
            Tools.run(tmp, untimed, 600).ok();
            Tools.Run[] first = new Tools.Run[1];
            double cold = seconds(() -> first[0] = Tools.run(tmp, cmd, 600).ok());
            String closure = first[0].out().lines().filter(l -> l.contains(" packages, ")).findFirst().orElse("?");
            double ours = best(3, () -> Tools.run(tmp, cmd, 600).ok());
            Path root = Files.createTempDirectory(tmp, "dnfplan");
            Tools.run(tmp, dnf(root, up.resolve("repo"), "makecache"), 600).ok();
            List<String> install = new ArrayList<>(dnf(root, up.resolve("repo"), "--assumeno", "install"));
            install.addAll(names);
            double dnf = best(3, () -> Tools.run(tmp, install, 600));
            row("plan 300 of 40k pkgs, " + closure.split(" ")[0] + " in closure, cold cache",
                    String.format(Locale.ROOT, "%.2fs", cold), "-", "-", "-");
            row("plan 300 of 40k pkgs, warm cache, JVM start incl.",
                    String.format(Locale.ROOT, "%.2fs", ours),
                    String.format(Locale.ROOT, "dnf install --assumeno %.2fs", dnf), ratio(dnf, ours), "< 2s incl. JVM start");
        }
        // Live heap of a resolved el9-sized universe, measured in-process after a full GC.
        System.gc();
        long before = usedHeap();
        Universe u = load(up.resolve("repo")).universe();
        System.gc();
        long after = usedHeap();
        row("heap held by a 40,000-package universe", (after - before) / (1 << 20) + " MiB (" + u.packages().size() + " pkgs)",
                "-", "-", "full plan < 512 MiB heap");
    }

    /** Wall seconds and peak RSS (MiB) of a command, by GNU time; the best of {@code n} runs. */
    private double[] timed(int n, List<String> cmd, boolean mustSucceed) {
        double best = Double.MAX_VALUE, rss = 0;
        for (int i = 0; i < n; i++) {
            List<String> c = new ArrayList<>(List.of("/usr/bin/time", "-f", "TIMED %e %M"));
            c.addAll(cmd);
            Tools.Run r = Tools.run(tmp, c, 1800);
            if (mustSucceed && r.code() != 0) throw new AssertionError(r.out());
            String line = r.out().lines().filter(l -> l.startsWith("TIMED ")).reduce((a, b) -> b).orElseThrow();
            String[] t = line.split(" ");
            double sec = Double.parseDouble(t[1]);
            if (sec < best) {
                best = sec;
                rss = Long.parseLong(t[2]) / 1024.0;
            }
        }
        return new double[] {best, rss};
    }

    /**
     * The solver on real metadata, JVM included, against the installers' own warm solve of the same
     * request: CentOS Stream 9 BaseOS + AppStream (the shared corpora) with dnf, Debian 12 main (the
     * host's mirror) with apt-get -s; 23, 300 and 2000 names, what cannot be installed skipped by both.
     */
    void solve() throws Exception {
        Path corpora = io.pigsty.offline.fixtures.Corpora.root();
        Random rnd = new Random(7);
        try (FileServer server = new FileServer(corpora)) {
            Path home = tmp.resolve("solve-home");
            Map<String, String> cs9 = new LinkedHashMap<>();
            cs9.put("baseos", server.url("cs9-baseos/"));
            cs9.put("appstream", server.url("cs9-appstream/"));
            Universe u = load(corpora.resolve("cs9-baseos")).universe();
            List<String> names = new ArrayList<>(new java.util.TreeSet<>(u.packages().stream().map(Package::name).toList()));
            Universe a = load(corpora.resolve("cs9-appstream")).universe();
            List<String> more = new ArrayList<>(new java.util.TreeSet<>(a.packages().stream().map(Package::name).toList()));
            Path root = Files.createTempDirectory(tmp, "dnfsolve");
            List<String> dnfBase = List.of("dnf", "-q", "--installroot=" + root, "--setopt=reposdir=/dev/null",
                    "--repofrompath=baseos," + server.url("cs9-baseos/"), "--repofrompath=appstream," + server.url("cs9-appstream/"),
                    "--releasever=9", "--forcearch=x86_64", "--nogpgcheck", "--setopt=install_weak_deps=False", "--setopt=strict=False");
            List<String> mk = new ArrayList<>(dnfBase);
            mk.add("makecache");
            Tools.run(tmp, mk, 900).ok();
            for (int n : new int[] {23, 300, 2000}) {
                java.util.LinkedHashSet<String> set = new java.util.LinkedHashSet<>();
                while (set.size() < n) set.add(rnd.nextInt(3) == 0 || n > names.size() ? more.get(rnd.nextInt(more.size()))
                        : names.get(rnd.nextInt(names.size())));
                Homes.el9(home, String.join(" ", set), cs9);
                List<String> ours = builder("plan", "--os", "el9", "--home",
                        home.toString(), "--cache", tmp.resolve("solve-cache").toString(), "-q", "--no-launcher", "--skip-missing",
                        "--no-weak-deps"); // as dnf is run: weak deps off on both sides
                timed(1, ours, true); // warm the caches
                double[] o = timed(3, ours, true);
                List<String> install = new ArrayList<>(dnfBase);
                install.addAll(List.of("--assumeno", "install"));
                install.addAll(set);
                double[] d = timed(3, install, false);
                row("solve CS9, " + n + " names, warm, JVM incl.", String.format(Locale.ROOT, "%.2fs, %.0f MiB", o[0], o[1]),
                        String.format(Locale.ROOT, "dnf --assumeno %.2fs, %.0f MiB", d[0], d[1]), ratio(d[0], o[0]), "no slower than dnf warm");
                if (n != 23) continue;
                // cold: no cache on either side, the metadata fetched over loopback and parsed
                double[] oc = {Double.MAX_VALUE, 0}, dc = {Double.MAX_VALUE, 0};
                for (int i = 0; i < 2; i++) {
                    List<String> cold = new ArrayList<>(ours);
                    cold.set(cold.indexOf("--cache") + 1, Files.createTempDirectory(tmp, "coldcache").toString());
                    double[] t = timed(1, cold, true);
                    if (t[0] < oc[0]) oc = t;
                    List<String> dnfCold = new ArrayList<>(install);
                    dnfCold.set(dnfCold.indexOf("--installroot=" + root), "--installroot=" + Files.createTempDirectory(tmp, "dnfcold"));
                    t = timed(1, dnfCold, false);
                    if (t[0] < dc[0]) dc = t;
                }
                row("solve CS9, 23 names, cold, JVM incl.", String.format(Locale.ROOT, "%.2fs, %.0f MiB", oc[0], oc[1]),
                        String.format(Locale.ROOT, "dnf --assumeno %.2fs, %.0f MiB", dc[0], dc[1]), ratio(dc[0], oc[0]), "within 1.5x of dnf cold");
            }
        }
        var mirrors = io.pigsty.offline.config.HostApt.mirrors(Path.of("/"), "debian");
        String mirror = mirrors.containsKey("debian_mirror") ? mirrors.get("debian_mirror")[0] : null;
        if (mirror == null) {
            row("solve Debian main", "skipped: no Debian mirror", "-", "-", "-");
            return;
        }
        Path keyring = Path.of("/usr/share/keyrings/debian-archive-keyring.gpg");
        io.pigsty.offline.fixtures.AptSandbox apt = new io.pigsty.offline.fixtures.AptSandbox(tmp.resolve("solve-apt"),
                "deb [signed-by=" + keyring + "] " + mirror + " bookworm main\n", "amd64");
        apt.apt("update").ok();
        Path inv = tmp.resolve("solve-d12.yml");
        Path cache = tmp.resolve("solve-deb-cache");
        List<String> debNames = null;
        for (int n : new int[] {23, 300, 2000}) {
            if (debNames == null) {
                Files.writeString(inv, "all:\n  children: { infra: { hosts: { 10.10.10.10: {} } } }\n  vars:\n    repo_modules: node\n    repo_packages: [ 'bash' ]\n    repo_extra_packages: []\n"
                        + "    repo_upstream:\n      - { name: base, module: node, releases: [12], baseurl: { default: '" + mirror
                        + " bookworm main' }, keyring: " + keyring + " }\n");
                Tools.run(tmp, builder("plan", "--os", "d12", "--home",
                        Path.of("..").toAbsolutePath().normalize().toString(), "-i", inv.toString(), "--cache", cache.toString(), "-q",
                        "--no-launcher"), 900).ok();
                debNames = aptNames();
            }
            java.util.LinkedHashSet<String> set = new java.util.LinkedHashSet<>();
            while (set.size() < n) set.add(debNames.get(rnd.nextInt(debNames.size())));
            Files.writeString(inv, "all:\n  children: { infra: { hosts: { 10.10.10.10: {} } } }\n  vars:\n    repo_modules: node\n    repo_packages: [ '" + String.join(" ", set) + "' ]\n"
                    + "    repo_extra_packages: []\n    repo_upstream:\n      - { name: base, module: node, releases: [12], baseurl: { default: '"
                    + mirror + " bookworm main' }, keyring: " + keyring + " }\n");
            List<String> ours = builder("plan", "--os", "d12", "--home",
                    Path.of("..").toAbsolutePath().normalize().toString(), "-i", inv.toString(), "--cache", cache.toString(), "-q",
                    "--no-launcher", "--skip-missing");
            double[] o = timed(3, ours, true);
            List<String> sim = new ArrayList<>(List.of("env", "APT_CONFIG=" + tmp.resolve("solve-apt/apt.conf"), "apt-get", "-q", "-s",
                    "--no-install-recommends", "install"));
            sim.addAll(set);
            double[] d = timed(2, sim, false);
            boolean gaveUp = Tools.run(tmp, sim, 900).code() != 0; // random names may clash: apt then stops early
            row("solve Debian main, " + n + " names, warm, JVM incl.", String.format(Locale.ROOT, "%.2fs, %.0f MiB", o[0], o[1]),
                    String.format(Locale.ROOT, "apt-get -s %.2fs, %.0f MiB%s", d[0], d[1], gaveUp ? " (gave up)" : ""),
                    ratio(d[0], o[0]), "no slower than apt");
        }
    }

    /**
     * Pigsty's d12 infra set (23 names) from the host's Debian mirror (main, updates, security), cold:
     * the whole `build offline` against Pigsty's way (apt-get --download-only into an empty-status
     * sandbox, apt-ftparchive, tar -czf); then two of its steps alone: the download with checksums
     * (curl, 8 at a time, and sha256sum) and the index of the downloaded debs (apt-ftparchive).
     */
    void endToEnd() throws Exception {
        var mirrors = io.pigsty.offline.config.HostApt.mirrors(Path.of("/"), "debian");
        String main = mirrors.containsKey("debian_mirror") ? mirrors.get("debian_mirror")[0] : null;
        if (main == null) {
            row("end to end, d12 infra bundle", "skipped: no Debian mirror", "-", "-", "-");
            return;
        }
        Tools.require("curl", "apt-ftparchive", "sha256sum", "gzip");
        String security = mirrors.containsKey("debian_security_mirror") ? mirrors.get("debian_security_mirror")[0] : main;
        Path keyring = Path.of("/usr/share/keyrings/debian-archive-keyring.gpg");
        List<String> names = io.pigsty.offline.fixtures.Live.DEBIAN_INFRA;
        Path inv = tmp.resolve("e2e-d12.yml");
        StringBuilder y = new StringBuilder("all:\n  children: { infra: { hosts: { 10.10.10.10: {} } } }\n  vars:\n    version: v1\n"
                + "    repo_modules: node\n    repo_packages: [ '" + String.join(" ", names) + "' ]\n    repo_extra_packages: []\n    repo_upstream:\n");
        String[][] repos = {{"base", main, "bookworm"}, {"updates", main, "bookworm-updates"}, {"security", security, "bookworm-security"}};
        for (String[] r : repos)
            y.append("      - { name: ").append(r[0]).append(", module: node, releases: [12], baseurl: { default: '").append(r[1]).append(' ')
                    .append(r[2]).append(" main' }, keyring: ").append(keyring).append(" }\n");
        Files.writeString(inv, y);
        double ours = Double.MAX_VALUE;
        Path out = null;
        for (int i = 0; i < 2; i++) {
            out = Files.createTempDirectory(tmp, "e2e");
            Path o = out;
            ours = Math.min(ours, seconds(() -> Tools.run(tmp, builder("offline", "--os", "d12", "--home", Path.of("..").toAbsolutePath().normalize().toString(),
                    "-i", inv.toString(), "--cache", o.resolve("cache").toString(), "--repo-dir", o.resolve("www/pigsty").toString(),
                    "--dist", o.resolve("dist").toString(), "-q", "--no-launcher"), 1800).ok()));
        }
        Path tree = out.resolve("www/pigsty");
        Path tarball;
        try (var s = Files.walk(out.resolve("dist"))) {
            tarball = s.filter(p -> p.toString().endsWith(".tgz")).findFirst().orElseThrow();
        }
        StringBuilder sources = new StringBuilder();
        for (String[] r : repos) sources.append("deb [signed-by=").append(keyring).append("] ").append(r[1]).append(' ').append(r[2]).append(" main\n");
        double peer = Double.MAX_VALUE;
        Path peerDir = null;
        for (int i = 0; i < 2; i++) {
            Path d = Files.createTempDirectory(tmp, "pigstyway");
            peerDir = d;
            peer = Math.min(peer, seconds(() -> {
                io.pigsty.offline.fixtures.AptSandbox apt = new io.pigsty.offline.fixtures.AptSandbox(d.resolve("apt"), sources.toString(), "amd64");
                apt.apt("update").ok();
                List<String> dl = new ArrayList<>(List.of("install", "--download-only"));
                dl.addAll(names);
                apt.apt(dl.toArray(String[]::new)).ok();
                Tools.run(apt.archives(), List.of("sh", "-c", "apt-ftparchive packages . > Packages && gzip -9k Packages"), 600).ok();
                Tools.run(d, List.of("tar", "-czf", "pkg.tgz", "-C", apt.archives().toString(), "."), 600).ok();
            }));
        }
        long debs;
        try (var s = Files.list(tree)) {
            debs = s.filter(p -> p.toString().endsWith(".deb")).count();
        }
        row("end to end, d12 infra bundle (" + debs + " debs), cold", String.format(Locale.ROOT, "%.1fs, %s", ours, mib(Files.size(tarball))),
                String.format(Locale.ROOT, "Pigsty's way %.1fs, %s", peer, mib(Files.size(peerDir.resolve("pkg.tgz")))), ratio(peer, ours),
                "faster than Pigsty's way");

        // The download alone: every package of the bundle by its manifest (URL, size, sha256).
        Map<?, ?> manifest = new org.yaml.snakeyaml.Yaml().load(Files.readString(tree.resolve("manifest.json")));
        Map<String, String> repoUrl = new LinkedHashMap<>();
        for (Object r : (List<?>) manifest.get("repos")) repoUrl.put(String.valueOf(((Map<?, ?>) r).get("name")),
                String.valueOf(((List<?>) ((Map<?, ?>) r).get("urls")).get(0)));
        List<io.pigsty.offline.fetch.Fetcher.Job> jobs = new ArrayList<>();
        StringBuilder urls = new StringBuilder(), sums = new StringBuilder();
        long bytes = 0;
        for (Object o : (List<?>) manifest.get("packages")) {
            Map<?, ?> p = (Map<?, ?>) o;
            String url = repoUrl.get(String.valueOf(p.get("repo"))) + p.get("location");
            String sha = String.valueOf(p.get("sha256"));
            long size = ((Number) p.get("size")).longValue();
            bytes += size;
            jobs.add(new io.pigsty.offline.fetch.Fetcher.Job(String.valueOf(p.get("name")), List.of(url),
                    io.pigsty.offline.model.Checksum.sha256(sha), size));
            urls.append(url).append('\n');
            sums.append(sha).append("  ").append(url.substring(url.lastIndexOf('/') + 1)).append('\n');
        }
        double fetch = best(2, () -> {
            try (io.pigsty.offline.fetch.Fetcher f = new io.pigsty.offline.fetch.Fetcher(
                    new io.pigsty.offline.fetch.Cache(Files.createTempDirectory(tmp, "dlcache")),
                    new io.pigsty.offline.fetch.Fetcher.Settings(8, 3, Duration.ofSeconds(15), Duration.ofSeconds(30),
                            Duration.ofMillis(500)), Log.QUIET)) {
                f.fetchAll(jobs, io.pigsty.offline.fetch.Progress.silent());
            }
        });
        Files.writeString(tmp.resolve("urls.txt"), urls);
        Files.writeString(tmp.resolve("sums.txt"), sums);
        double curl = best(2, () -> {
            Path d = Files.createTempDirectory(tmp, "curl");
            Tools.run(d, List.of("sh", "-c", "xargs -P 8 -n 8 curl -s --fail --remote-name-all < " + tmp.resolve("urls.txt")
                    + " && sha256sum -c --quiet " + tmp.resolve("sums.txt")), 900).ok();
        });
        row("download " + jobs.size() + " debs, " + mib(bytes) + ", with sha256", String.format(Locale.ROOT, "%.1fs", fetch),
                String.format(Locale.ROOT, "curl x8 + sha256sum %.1fs", curl), ratio(curl, fetch), "at the link");

        // The index alone: our Packages from the carried upstream records vs apt-ftparchive reading each deb.
        List<Format.Source> src = new ArrayList<>();
        for (String[] r : repos)
            src.add(new Format.Source(new Repo(r[0], 99, List.of(r[1])), List.of(), false, false,
                    new Format.Dist(r[2], List.of("main"), List.of(keyring), false)));
        io.pigsty.offline.format.deb.DebFormat deb = io.pigsty.offline.format.deb.DebFormat.INSTANCE;
        try (io.pigsty.offline.fetch.Fetcher f = new io.pigsty.offline.fetch.Fetcher(new io.pigsty.offline.fetch.Cache(out.resolve("cache")),
                new io.pigsty.offline.fetch.Fetcher.Settings(4, 3, Duration.ofSeconds(15), Duration.ofSeconds(30),
                        Duration.ofMillis(500)), Log.QUIET)) {
            Metadata md = MetadataLoader.load(src, deb, "amd64", f, Log.QUIET);
            Set<Repo> used = src.stream().map(Format.Source::repo).collect(Collectors.toSet());
            IndexSet index = MetadataLoader.complete(md.index(), deb.carriedTypes(), used, f);
            Map<String, Package> byFile = new LinkedHashMap<>();
            for (Package p : md.universe().packages()) byFile.putIfAbsent(p.repo().name() + "/" + p.location(), p);
            List<Format.Shipped> shipped = new ArrayList<>();
            for (Object o : (List<?>) manifest.get("packages")) {
                Map<?, ?> m = (Map<?, ?>) o;
                Package p = byFile.get(m.get("repo") + "/" + m.get("location"));
                shipped.add(new Format.Shipped(p, p.fileName(), String.valueOf(m.get("sha256")), p.size(), null));
            }
            double idx = best(3, () -> deb.writeIndex(Files.createTempDirectory(tmp, "debidx"), shipped, index, 1700000000L, null));
            double ftp = best(3, () -> Tools.run(tree, List.of("sh", "-c", "apt-ftparchive packages . > /dev/null"), 600).ok());
            row("index " + shipped.size() + " debs (Packages)", String.format(Locale.ROOT, "%.2fs", idx),
                    String.format(Locale.ROOT, "apt-ftparchive %.2fs", ftp), ratio(ftp, idx), "no slower than peer");
        }
        // A one-package update: the same set plus one name, as a delta against the bundle above.
        Files.writeString(inv, Files.readString(inv).replace("repo_packages: [ '", "repo_packages: [ 'tree "));
        Path upd = Files.createTempDirectory(tmp, "e2e-upd");
        Tools.run(tmp, builder("offline",
                "--os", "d12", "--home", Path.of("..").toAbsolutePath().normalize().toString(), "-i", inv.toString(), "--cache",
                out.resolve("cache").toString(), "--repo-dir", upd.resolve("www/pigsty").toString(), "--dist", upd.resolve("dist").toString(),
                "-q", "--no-launcher", "--since", tarball.toString()), 1800).ok();
        Path fullUpd, deltaUpd;
        try (var s = Files.walk(upd.resolve("dist"))) {
            List<Path> tgzs = s.filter(p -> p.toString().endsWith(".tgz")).toList();
            fullUpd = tgzs.stream().filter(p -> !p.toString().contains(".delta-from-")).findFirst().orElseThrow();
            deltaUpd = tgzs.stream().filter(p -> p.toString().contains(".delta-from-")).findFirst().orElseThrow();
        }
        row("delta for a one-package update (+tree)", io.pigsty.offline.fetch.Progress.size(Files.size(deltaUpd)),
                "full bundle " + io.pigsty.offline.fetch.Progress.size(Files.size(fullUpd)),
                String.format(Locale.ROOT, "%.1f%%", 100.0 * Files.size(deltaUpd) / Files.size(fullUpd)), "only what changed");
    }

    /** The SBOM of 1,000 packages with 10 requirements each (components, hashes, the dependency graph). No peer tool here. */
    void sbom() throws Exception {
        List<Format.Shipped> shipped = new ArrayList<>();
        Map<String, Format.About> about = new LinkedHashMap<>();
        for (int i = 0; i < 1000; i++) {
            List<io.pigsty.offline.model.Req> req = new ArrayList<>();
            for (int k = 1; k <= 10; k++) req.add(io.pigsty.offline.model.Req.atom(io.pigsty.offline.model.Dep.of("lib" + ((i + k * 37) % 1000) + ".so.1()(64bit)")));
            Package p = new Package("pkg" + i, io.pigsty.offline.model.Evr.parse("1.0-1.el9"), "x86_64",
                    List.of(io.pigsty.offline.model.Dep.of("lib" + i + ".so.1()(64bit)")), req, List.of(), List.of(), List.of(), List.of(), List.of(),
                    List.of(), "Packages/pkg" + i + "-1.0-1.el9.x86_64.rpm", 1000, io.pigsty.offline.model.Checksum.sha256(String.format("%064x", i)), BENCH, null);
            shipped.add(new Format.Shipped(p, p.fileName(), p.checksum().hex(), 1000, null));
            about.put(p.fileName(), new Format.About("MIT", "Bench"));
        }
        io.pigsty.offline.repo.Sbom.Subject subject = new io.pigsty.offline.repo.Sbom.Subject("pigsty-pkg-v1.el9.x86_64", "v1", "el9", "el9",
                "x86_64", "rpm", "bench", 1700000000L, Map.of(), java.util.Set.of(io.pigsty.offline.repo.Sbom.Kind.CYCLONEDX));
        String[] json = new String[1];
        double t = best(3, () -> json[0] = io.pigsty.offline.repo.Sbom.json(subject, shipped, about, RpmFormat.INSTANCE.rules(), "x86_64"));
        row("SBOM (CycloneDX 1.6) of 1,000 packages", String.format(Locale.ROOT, "%.2fs, %s", t, mib(json[0].length())), "-", "-", "< 1 s");
    }

    /**
     * 1,000 small RPMs: signed by us (the launcher's way) against rpmsign --addsign with the same RSA
     * 3072 key, and their signatures verified by us (the build's check, payload digest included)
     * against rpmkeys -K with the key imported.
     */
    void rpmSignatures() throws Exception {
        Tools.require("rpmsign", "rpmkeys", "gpg");
        Path ours = java.nio.file.Files.createDirectories(tmp.resolve("rpmsig/ours")), theirs = tmp.resolve("rpmsig/theirs");
        for (int i = 0; i < 1000; i++)
            io.pigsty.offline.fixtures.Rpms.rpm("pkg" + i).version("1.0").file("/usr/share/pkg" + i + "/data", "x".repeat(2000 + i)).build(ours);
        Tools.run(tmp, "cp", "-a", ours.toString(), theirs.toString()).ok();
        Path gnupg = tmp.resolve("rpmsig/gpg");
        java.nio.file.Files.writeString(tmp.resolve("rpmsig/vendor.asc"), io.pigsty.offline.fixtures.YumFixture.vendorKey(gnupg, "Bench <b@example.invalid>"));
        Path secret = tmp.resolve("rpmsig/vendor.key");
        Tools.run(tmp, List.of("gpg", "--homedir", gnupg.toString(), "--batch", "--pinentry-mode", "loopback", "--passphrase", "",
                "--armor", "--output", secret.toString(), "--export-secret-keys"), 60).ok();
        io.pigsty.offline.format.BundleKey key = io.pigsty.offline.format.BundleKey.load(secret, new char[0]);
        List<Path> files;
        try (java.util.stream.Stream<Path> st = java.nio.file.Files.list(ours)) {
            files = st.sorted().toList();
        }
        double sign = seconds(() -> {
            for (Path f : files) RpmFormat.INSTANCE.signPackage(f, key, 1700000000L);
        });
        double rpmsign = seconds(() -> io.pigsty.offline.fixtures.YumFixture.rpmsign(gnupg, theirs));
        row("sign 1,000 RPMs (header, RSA 3072, SHA-256)", String.format(Locale.ROOT, "%.2fs", sign),
                String.format(Locale.ROOT, "rpmsign --addsign %.2fs", rpmsign), String.format(Locale.ROOT, "%.1fx", rpmsign / sign), "<= rpmsign");
        io.pigsty.offline.format.Keyring keys = io.pigsty.offline.format.Keyring.read(tmp.resolve("rpmsig/vendor.asc"));
        List<Path> signed;
        try (java.util.stream.Stream<Path> st = java.nio.file.Files.list(theirs)) {
            signed = st.sorted().toList();
        }
        double check = best(3, () -> signed.parallelStream().forEach(f -> { // as the build's SignatureStep checks them
            try {
                if (RpmFormat.INSTANCE.checkSignature(f, f.getFileName().toString(), keys).status() != Format.PackageSignature.Status.VERIFIED)
                    throw new AssertionError(f + " did not verify");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }));
        Path db = java.nio.file.Files.createDirectories(tmp.resolve("rpmsig/db"));
        Tools.run(tmp, "rpmkeys", "--dbpath", db.toString(), "--import", tmp.resolve("rpmsig/vendor.asc").toString()).ok();
        List<String> k = new ArrayList<>(List.of("rpmkeys", "--dbpath", db.toString(), "-K"));
        signed.forEach(f -> k.add(f.toString()));
        double rpmkeys = best(3, () -> Tools.run(tmp, k, 600).ok());
        row("verify 1,000 RPM signatures (+payload digest)", String.format(Locale.ROOT, "%.2fs, %d threads", check,
                        java.util.concurrent.ForkJoinPool.commonPool().getParallelism() + 1),
                String.format(Locale.ROOT, "rpmkeys -K %.2fs", rpmkeys), String.format(Locale.ROOT, "%.1fx", rpmkeys / check), "<= rpmkeys");
    }

    /** Every real package name in the sandbox's lists (no virtual names: apt refuses those outright). */
    private List<String> aptNames() {
        List<String> out = new ArrayList<>(new java.util.TreeSet<>(Tools.run(tmp, List.of("sh", "-c", "grep -h '^Package: ' "
                + tmp.resolve("solve-apt/var/lib/apt/lists") + "/*Packages | cut -d' ' -f2"), 120).ok().out().lines()
                .filter(l -> !l.isBlank()).toList()));
        return out;
    }

    /**
     * Debian main (bookworm amd64 Packages.xz, ~63,000 stanzas, fetched from the host's own mirror):
     * our parser vs apt-get update building its cache from the same file; then a 300-package plan.
     */
    void debian() throws Exception {
        var mirrors = io.pigsty.offline.config.HostApt.mirrors(Path.of("/"), "debian");
        String mirror = mirrors.containsKey("debian_mirror") ? mirrors.get("debian_mirror")[0] : null;
        Path repo = tmp.resolve("debmain");
        Files.createDirectories(repo);
        if (mirror == null || Tools.run(repo, List.of("curl", "-sf", "-o", "Packages.xz", mirror + "dists/bookworm/main/binary-amd64/Packages.xz"), 600).code() != 0) {
            row("Debian main Packages.xz", "skipped: no Debian mirror", "-", "-", "-");
            return;
        }
        Tools.run(repo, "sh", "-c", "xz -dk Packages.xz && gzip -6k Packages && apt-ftparchive release . > ../Release && mv ../Release .").ok();
        long stanzas = Long.parseLong(Tools.run(repo, "sh", "-c", "grep -c '^Package:' Packages").ok().out().trim());
        Repo r = new Repo("debmain", 99, List.of("http://127.0.0.1/"));
        Format.Dist flat = new Format.Dist("./", List.of(), List.of(), true);
        for (String name : List.of("Packages.xz", "Packages.gz")) {
            // Parse only: the same reader the build uses, without its parsed cache.
            Path file = repo.resolve(name);
            for (int i = 0; i < 2; i++) io.pigsty.offline.format.deb.DebBench.parse(file, r);
            double ours = best(3, () -> io.pigsty.offline.format.deb.DebBench.parse(file, r));
            double peer = name.endsWith("xz") ? aptUpdate(repo) : 0;
            row("parse Debian main " + name + " (" + stanzas + ")", String.format(Locale.ROOT, "%.2fs (%,d/s)", ours, (long) (stanzas / ours)),
                    peer == 0 ? "-" : String.format(Locale.ROOT, "apt-get update %.2fs", peer), peer == 0 ? "-" : ratio(peer, ours),
                    ">= 60,000 stanzas/s");
        }
        try (FileServer server = new FileServer(repo)) {
            Path home = tmp.resolve("deb-home");
            Files.createDirectories(home.resolve("recipes"));
            Files.createDirectories(home.resolve("repo-spec"));
            List<String> names = Tools.run(repo, "sh", "-c", "grep '^Package: ' Packages | sort -u | awk 'NR % 150 == 0 {print $2}' | head -300")
                    .ok().out().lines().toList();
            Files.writeString(home.resolve("recipes/d12.yml"), "os: d12\nfamily: deb\nmajor: 12\ncodename: bookworm\ndistro_name: debian\n"
                    + "arches: [x86_64]\nrepo_spec: [b.yml]\nvars:\n  version: v1\n  repo_packages: [ '" + String.join(" ", names) + "' ]\n");
            Files.writeString(home.resolve("repo-spec/b.yml"), "repo_upstream:\n  - { name: debmain, module: node, baseurl: { default: '"
                    + server.url("") + " ./' }, trusted: true }\n");
            List<String> cmd = builder("plan", "--os", "d12", "--home",
                    home.toString(), "--cache", tmp.resolve("deb-cache").toString(), "-q", "--skip-missing", "--no-launcher");
            // ./build dumps its class-data archive after the first real command of a new jar: not timed
            List<String> untimed = new ArrayList<>(cmd);
            untimed.set(untimed.indexOf("--cache") + 1, tmp.resolve("plan-cache-untimed").toString());
            Tools.run(tmp, untimed, 600).ok();
            Tools.Run[] first = new Tools.Run[1];
            double cold = seconds(() -> first[0] = Tools.run(tmp, cmd, 600).ok());
            String closure = first[0].out().lines().filter(l -> l.contains(" packages, ")).findFirst().orElse("?").split(" ")[0];
            double warm = best(3, () -> Tools.run(tmp, cmd, 600).ok());
            io.pigsty.offline.fixtures.AptSandbox apt = new io.pigsty.offline.fixtures.AptSandbox(tmp.resolve("deb-apt"), repo, "amd64");
            apt.apt("update").ok();
            List<String> sim = new java.util.ArrayList<>(List.of("install", "-s", "-o", "APT::Get::Fix-Broken=false"));
            sim.addAll(names);
            double peer = best(3, () -> apt.apt(sim.toArray(String[]::new)));
            row("plan 300 of Debian main, " + closure + " in closure", String.format(Locale.ROOT, "%.2fs warm, %.2fs cold", warm, cold),
                    String.format(Locale.ROOT, "apt-get install -s %.2fs", peer), ratio(peer, warm), "< 3s incl. JVM start");
        }
    }

    /** apt-get update of a flat repo holding only this Packages.xz: apt's own parse of the same input. */
    double aptUpdate(Path repo) throws Exception {
        return best(3, () -> {
            Path sandbox = Files.createTempDirectory(tmp, "aptparse");
            new io.pigsty.offline.fixtures.AptSandbox(sandbox, repo, "amd64").apt("update").ok();
        });
    }

    static long usedHeap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** The bundle's repodata for 2,000 packages: carried records (ours) vs createrepo_c reading the RPMs. */
    void repodata() throws Exception {
        Path repo = tmp.resolve("rpms2k");
        Random rnd = new Random(3);
        for (int i = 0; i < 2000; i++) {
            byte[] body = new byte[4096 + rnd.nextInt(8192)];
            rnd.nextBytes(body);
            Rpms.rpm(String.format("bench%04d", i)).version("1." + i).requires("bash").provides("libbench" + i + ".so.1()(64bit)")
                    .file("/usr/bin/bench" + i, java.util.Base64.getEncoder().encodeToString(body))
                    .file("/usr/share/bench" + i + "/data", "x".repeat(i)).build(repo);
        }
        double peer = best(3, () -> Tools.run(repo, "createrepo_c", "--no-database", "--workers", "2", ".").ok());
        RpmFormat f = RpmFormat.INSTANCE;
        Metadata md = load(repo);
        IndexSet index = MetadataLoader.complete(md.index(), f.carriedTypes(), Set.of(BENCH), local(repo));
        List<Format.Shipped> shipped = new ArrayList<>();
        for (Package p : md.universe().packages()) shipped.add(new Format.Shipped(p, p.fileName(), p.checksum().hex(), p.size(), null));
        double ours = best(3, () -> {
            Path out = Files.createTempDirectory(tmp, "repodata");
            f.writeIndex(out, shipped, index, 1700000000L, null);
        });
        row("repodata for 2,000 packages", String.format(Locale.ROOT, "%.2fs", ours),
                String.format(Locale.ROOT, "createrepo_c %.2fs", peer), ratio(peer, ours), "no slower than peer");
    }

    /**
     * About 900 MiB of real packages (the host's apt archive cache, packages built by others; 1 GiB of
     * package-like files when it holds too few): our tarball vs tar | pigz, tar | zstd and plain tar
     * at the same level and threads, each peer also writing the archive's sha256 as we do.
     */
    void pack() throws Exception {
        Path tree = tmp.resolve("tree/pigsty");
        Files.createDirectories(tree);
        String what = realPackages(tree, 900L << 20);
        if (what == null) {
            what = "1 GiB package-like";
            Random rnd = new Random(4);
            byte[] buf = new byte[4 << 20];
            for (int i = 0; i < 256; i++) {
                rnd.nextBytes(buf);
                // RPMs are mostly compressed payload with a compressible header: make a quarter of each file text.
                byte[] text = ("Name: package-" + i + "\nRequires: libc.so.6()(64bit)\n").repeat(20000).getBytes();
                System.arraycopy(text, 0, buf, 0, Math.min(text.length, buf.length / 4));
                Files.write(tree.resolve(String.format("package-%03d-1.0-1.el9.x86_64.rpm", i)), buf);
            }
        }
        int threads = Runtime.getRuntime().availableProcessors();
        Path out = tmp.resolve("out");
        record Way(Tarball.Compression c, int level, String peer) {}
        for (Way w : List.of(new Way(Tarball.Compression.GZIP, 0, "pigz -0 -p " + threads),
                new Way(Tarball.Compression.GZIP, 6, "pigz -6 -p " + threads),
                new Way(Tarball.Compression.ZSTD, 3, "zstd -q -3 -T" + threads),
                new Way(Tarball.Compression.NONE, 0, "cat"))) {
            Path ours = out.resolve("ours" + w.c().suffix), peer = out.resolve("peer" + w.c().suffix);
            double t1 = best(2, () -> Tarball.write(tree, "pigsty", ours, new Tarball.Settings(w.c(), w.level(), threads, 0, null), 1700000000L));
            double t2 = best(2, () -> Tools.run(tmp, List.of("sh", "-c", "tar -cf - -C " + tree.getParent() + " pigsty | "
                    + w.peer() + " | tee " + peer + " | sha256sum > " + peer + ".sha256"), 600).ok());
            String name = w.c().name().toLowerCase(Locale.ROOT) + (w.c() == Tarball.Compression.NONE ? "" : " " + w.level());
            row("pack " + what + ", " + name + (w.c() == Tarball.Compression.GZIP && w.level() == w.c().defaultLevel ? " (default)" : ""),
                    String.format(Locale.ROOT, "%.1fs, %s", t1, mib(Files.size(ours))),
                    String.format(Locale.ROOT, "tar|%s|sha256sum %.1fs, %s", w.peer().split(" ")[0], t2, mib(Files.size(peer))),
                    ratio(t2, t1), "no slower than peer");
        }
        // Signing the bundle: our detached signature of the whole tarball vs gpg's, same key, same file.
        Path tgz = out.resolve("ours.tgz");
        Tarball.write(tree, "pigsty", tgz, new Tarball.Settings(Tarball.Compression.GZIP, 0, threads, 0, null), 1700000000L);
        io.pigsty.offline.format.BundleKey.Pair pair = io.pigsty.offline.format.BundleKey.generate("bench", new char[0], new java.util.Date());
        Path sec = tmp.resolve("bench.key");
        Files.writeString(sec, pair.secretArmored());
        io.pigsty.offline.format.BundleKey key = io.pigsty.offline.format.BundleKey.load(sec, new char[0]);
        double sign = best(2, () -> {
            try (var in = Files.newInputStream(tgz)) {
                key.detached(in, 1700000000L);
            }
        });
        Path gh = Files.createDirectories(tmp.resolve("bench-gnupg"));
        Files.setPosixFilePermissions(gh, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Tools.run(tmp, List.of("gpg", "--homedir", gh.toString(), "--batch", "--import", sec.toString()), 60).ok();
        double gpg = best(2, () -> Tools.run(tmp, List.of("gpg", "--homedir", gh.toString(), "--batch", "--yes", "--digest-algo", "SHA256",
                "--armor", "--detach-sign", "--output", out.resolve("peer.asc").toString(), tgz.toString()), 600).ok());
        row("sign the tarball (" + mib(Files.size(tgz)) + "), RSA 3072, SHA-256", String.format(Locale.ROOT, "%.1fs", sign),
                String.format(Locale.ROOT, "gpg --detach-sign %.1fs", gpg), ratio(gpg, sign), "no slower than gpg");
    }

    /** Real .deb files from the host's apt cache, linked or copied into {@code tree} up to {@code max} bytes; null when too few. */
    private static String realPackages(Path tree, long max) throws IOException {
        Path cache = Path.of("/var/cache/apt/archives");
        if (!Files.isDirectory(cache)) return null;
        List<Path> debs;
        try (var s = Files.list(cache)) {
            debs = s.filter(p -> p.toString().endsWith(".deb")).sorted().toList();
        }
        List<Path> chosen = new ArrayList<>();
        long total = 0;
        for (Path d : debs) {
            if (total >= max) break;
            chosen.add(d);
            total += Files.size(d);
        }
        if (total < max / 2) return null;
        for (Path d : chosen) {
            Path to = tree.resolve(d.getFileName());
            try {
                Files.createLink(to, d);
            } catch (IOException | UnsupportedOperationException e) {
                Files.copy(d, to);
            }
        }
        return String.format(Locale.ROOT, "%d MiB of %d real debs", total >> 20, chosen.size());
    }

    /** A 500 MiB repo tree as a container image: first build, rebuild from Jib's layer cache, vs tar | pigz. */
    void image() throws Exception {
        Path tree = tmp.resolve("imgtree/pigsty");
        Files.createDirectories(tree.resolve("repodata"));
        Random rnd = new Random(5);
        byte[] buf = new byte[4 << 20];
        for (int i = 0; i < 125; i++) {
            rnd.nextBytes(buf);
            Files.write(tree.resolve(String.format("%c%s-%03d-1.0-1.el9.x86_64.rpm", (char) ('a' + i % 26), "pkg", i)), buf);
        }
        Files.writeString(tree.resolve("repodata/repomd.xml"), "<repomd/>");
        Files.writeString(tree.resolve("repo_complete"), "");
        Path cache = tmp.resolve("img-cache");
        io.pigsty.offline.pack.Image.Target t = new io.pigsty.offline.pack.Image.Target(io.pigsty.offline.pack.Image.Archive.DOCKER, tmp.resolve("img.tar"), null, "bench:1", null);
        double first = seconds(() -> io.pigsty.offline.pack.Image.build(tree, null, t, "x86_64", Map.of(), 1700000000L, cache, Log.QUIET));
        double cached = best(2, () -> io.pigsty.offline.pack.Image.build(tree, null, t, "x86_64", Map.of(), 1700000000L, cache, Log.QUIET));
        int threads = Runtime.getRuntime().availableProcessors();
        double peer = best(2, () -> Tools.run(tmp, List.of("sh", "-c", "tar -cf - -C " + tree.getParent() + " pigsty | pigz -6 -p " + threads
                + " > " + tmp.resolve("img-peer.tgz")), 600).ok());
        row("image of a 500 MiB repo (docker tar)", String.format(Locale.ROOT, "%.1fs first, %.1fs cached", first, cached),
                String.format(Locale.ROOT, "tar|pigz %.1fs", peer), ratio(peer, cached) + " cached", "-");
    }

    static String mib(long b) {
        return b / (1 << 20) + " MiB";
    }

    static String ratio(double peer, double ours) {
        return String.format(Locale.ROOT, "%.2fx", peer / ours);
    }
}
