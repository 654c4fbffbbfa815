package io.pigsty.offline.build;

import io.pigsty.offline.model.BuildException;
import io.pigsty.offline.model.Log;

import io.pigsty.offline.config.Config;
import io.pigsty.offline.config.ConfigException;
import io.pigsty.offline.config.ConfigLoader;
import io.pigsty.offline.fetch.Cache;
import io.pigsty.offline.fetch.Fetcher;
import io.pigsty.offline.fetch.Progress;
import io.pigsty.offline.config.YamlFile;
import io.pigsty.offline.pack.Image;
import io.pigsty.offline.pack.Iso9660;
import io.pigsty.offline.pack.LauncherPackage;
import io.pigsty.offline.pack.Seeds;
import io.pigsty.offline.pack.Tarball;
import io.pigsty.offline.model.Checksum;
import io.pigsty.offline.format.Format;
import io.pigsty.offline.model.Package;
import io.pigsty.offline.model.Repo;
import io.pigsty.offline.solve.Resolution;
import io.pigsty.offline.solve.Resolver;
import io.pigsty.offline.model.Spec;
import io.pigsty.offline.model.Universe;
import io.pigsty.offline.plan.BuildPlan;
import io.pigsty.offline.plan.Planner;
import io.pigsty.offline.plan.PlannedRepo;
import io.pigsty.offline.plan.UrlPackage;
import io.pigsty.offline.repo.Manifest;
import io.pigsty.offline.repo.RepoTree;
import io.pigsty.offline.format.deb.DebFormat;
import io.pigsty.offline.format.rpm.RpmFormat;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The build, stage by stage: config → plan → metadata → resolve → fetch → repo tree → tarball.
 * Commands call {@link #resolve} (plan) or {@link #offline} (the whole job); each stage's errors
 * arrive as {@link BuildException}s with the exit code the CLI returns.
 */
public final class Pipeline {

    /**
     * Options shared by every command that resolves. {@code launcher} adds the pigsty-launcher
     * package (and its Java runtime closure) and firstboot.sh; {@code pigstySrc} is a Pigsty source
     * tarball to embed, as Pigsty's cache_src does.
     */
    public record Options(ConfigLoader.Request request, Path cache, Fetcher.Settings fetch, boolean weakDeps,
                          boolean skipMissing, boolean launcher, Path pigstySrc) {
        public Options(ConfigLoader.Request request, Path cache, Fetcher.Settings fetch, boolean weakDeps, boolean skipMissing) {
            this(request, cache, fetch, weakDeps, skipMissing, false, null);
        }
    }

    /** The builder's version, also the launcher package's. */
    public static final String VERSION = "0.1.0";

    /**
     * Where the tree and the artifacts go and which artifacts to make ({@code tarball}, {@code iso},
     * {@code image}, {@code seed}), how the tarball is packed and where the image goes.
     */
    public record Output(Path repoDir, Path distDir, Tarball.Compression compression, int level, int threads,
                         Set<String> artifacts, Image.Target image) {
        public Output(Path repoDir, Path distDir, Tarball.Compression compression, int level, int threads) {
            this(repoDir, distDir, compression, level, threads, Set.of("tarball"), null);
        }
    }

    /** One artifact made: what, where (a file or an image reference), its size and sha256 (or digest). */
    public record Artifact(String kind, String location, long size, String sha256) {}

    /**
     * A resolved build: the plan, the format, the result, the packages that did not come from a repo
     * (URL packages, the launcher) with their files, and the project home.
     */
    public record Resolved(BuildPlan plan, Format format, Resolution resolution, Map<Package, Path> localFiles,
                           List<String> warnings, Path home) {}

    /** What {@link #offline} produced. */
    public record Built(Resolved resolved, Path repoDir, List<Artifact> artifacts, long bytes) {
        /** The tarball's file, when one was made. */
        public Path tarball() {
            return artifacts.stream().filter(a -> a.kind().equals("tarball")).map(a -> Path.of(a.location())).findFirst().orElse(null);
        }
    }

    private final Log log;
    private final PrintWriter progressOut;
    private final boolean terminal;

    public Pipeline(Log log, PrintWriter progressOut, boolean terminal) {
        this.log = log;
        this.progressOut = progressOut;
        this.terminal = terminal;
    }

    public Resolved resolve(Options o, Fetcher fetcher) throws IOException {
        List<String> warnings = new ArrayList<>();
        Log collecting = collect(warnings);
        Config config = ConfigLoader.load(o.request(), collecting);
        BuildPlan plan = Planner.plan(config);
        log.info("target " + plan.target().label() + ", " + plan.repos().size() + " repos, " + plan.specs().size()
                + " package specs");
        Format format = formatFor(plan);
        List<Format.Source> sources = new ArrayList<>();
        for (PlannedRepo r : plan.repos())
            sources.add(new Format.Source(new Repo(r.name(), r.priority(), r.urls()), r.excludes(), r.moduleHotfixes(),
                    r.skipIfUnavailable(), r.suite() == null ? null
                    : new Format.Dist(r.suite(), r.components(), r.keyring(), r.trusted())));
        Universe universe = format.load(sources, plan.target().nativeArch(), fetcher, collecting);
        log.info("metadata: " + universe.packages().size() + " packages available");

        // Packages from elsewhere (URL packages, the launcher) join the universe with the best priority,
        // so their own dependencies get resolved too. Their files are already in the cache.
        Map<Package, Path> localFiles = new LinkedHashMap<>();
        List<Spec> specs = new ArrayList<>(plan.specs());
        Repo localRepo = new Repo("local", 0, List.of("file:///"));
        for (UrlPackage u : plan.urlPackages()) {
            Path file = fetcher.fetchUnknown("url package " + u.name() + " (" + u.where() + ")", u.url());
            String sha = Checksum.sha256Of(file);
            if (u.sha256() != null && !u.sha256().equals(sha))
                throw new BuildException(BuildException.NETWORK, u.where() + ": " + u.url() + " has sha256 " + sha
                        + ", but the inventory expects " + u.sha256());
            Package p = format.inspect(file, u.name(), Checksum.sha256(sha), localRepo);
            localFiles.put(p, file);
            specs.add(new Spec(p.name(), u.where() + " (repo_url_packages)"));
        }
        Path home = config.recipe().home();
        if (o.launcher()) {
            Path built = LauncherPackage.build(plan.target().family(), VERSION, home.resolve("overlays/launcher"),
                    fetcher.cache().root().resolve("launcher"), timestamp(format));
            String sha = Checksum.sha256Of(built);
            Path blob = fetcher.cache().blob(Checksum.sha256(sha));
            Files.createDirectories(blob.getParent());
            Files.move(built, blob, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Package p = format.inspect(blob, built.getFileName().toString(), Checksum.sha256(sha), localRepo);
            localFiles.put(p, blob);
            specs.add(new Spec(p.name(), "the first-boot launcher (--no-launcher leaves it out)"));
        }
        universe = universe.with(new ArrayList<>(localFiles.keySet()));

        Resolver.Options ro = new Resolver.Options(o.weakDeps());
        Resolution res = Resolver.resolve(universe, specs, ro);
        if (needsFileLists(res)) {
            List<String> paths = universe.unprovidedFileRequirements();
            log.info("file requirements not in primary metadata: reading file lists for " + paths.size() + " paths");
            universe = format.addFiles(universe, paths, fetcher);
            res = Resolver.resolve(universe, specs, ro);
        }
        checkAliases(plan, res);
        res.notes().forEach(log::info);
        List<Resolution.Problem> hard = res.hardProblems();
        for (Resolution.Problem p : res.problems())
            if (p.weak()) warnings.add("weak dependency skipped: " + p.describe());
        if (!hard.isEmpty()) {
            StringBuilder b = new StringBuilder(hard.size() + " unresolvable:\n");
            for (Resolution.Problem p : hard)
                b.append("  ").append(p.describe()).append(p.spec() == null ? "" : "   [" + p.spec().origin() + "]").append('\n');
            if (!o.skipMissing())
                throw new BuildException(BuildException.UNRESOLVABLE, b + "fix the package lists or repos, or pass --skip-missing to build without them");
            log.warn(b.toString().trim());
            for (Resolution.Problem p : hard) warnings.add("missing: " + p.describe());
        }
        return new Resolved(plan, format, res, localFiles, warnings, home);
    }

    public Built offline(Options o, Output out) throws IOException {
        Path inv = o.request().inventory();
        if (out.artifacts().contains("seed") && inv != null) // a bad inventory fails now, not after the downloads
            Seeds.check(Seeds.hosts(YamlFile.load(inv, inv.toString(), Log.QUIET, true)), Files.readAllBytes(inv),
                    o.request().home().resolve("overlays/seed"));
        try (Fetcher fetcher = new Fetcher(new Cache(o.cache()), o.fetch(), log)) {
            Resolved r = resolve(o, fetcher);
            List<Package> pkgs = r.resolution().packages();
            List<Fetcher.Job> jobs = new ArrayList<>();
            List<Package> fromRepos = new ArrayList<>();
            long total = 0;
            for (Package p : pkgs) {
                if (r.localFiles().containsKey(p)) continue;
                fromRepos.add(p);
                List<String> urls = new ArrayList<>();
                for (String base : p.repo().baseUrls()) urls.add(Fetcher.join(base, p.location()));
                jobs.add(new Fetcher.Job(p.repo().name() + ": " + p.fileName(), urls, p.checksum(), p.size()));
                total += p.size();
            }
            List<Path> files;
            try (Progress progress = new Progress("download", jobs.size(), total, progressOut, terminal, 10)) {
                files = fetcher.fetchAll(jobs, progress);
            }
            List<RepoTree.Item> items = new ArrayList<>();
            Map<Package, String> sha = new LinkedHashMap<>();
            for (int i = 0; i < fromRepos.size(); i++) {
                Package p = fromRepos.get(i);
                String s = p.checksum().isSha256() ? p.checksum().hex() : Checksum.sha256Of(files.get(i));
                sha.put(p, s);
                items.add(new RepoTree.Item(new Format.Shipped(p, p.fileName(), s, Files.size(files.get(i))), files.get(i)));
            }
            for (Map.Entry<Package, Path> e : r.localFiles().entrySet()) {
                if (!pkgs.contains(e.getKey())) continue;
                Package p = e.getKey();
                sha.put(p, p.checksum().hex());
                items.add(new RepoTree.Item(new Format.Shipped(p, p.fileName(), p.checksum().hex(), Files.size(e.getValue())),
                        e.getValue()));
            }
            long mtime = timestamp(r.format());
            Map<String, Path> extras = extras(o, r.home());
            Map<String, String> extraSums = new LinkedHashMap<>();
            for (Map.Entry<String, Path> x : extras.entrySet()) extraSums.put(x.getKey(), Checksum.sha256Of(x.getValue()));
            String manifest = Manifest.manifest(r.plan(), r.resolution(), sha, extraSums, r.warnings());
            RepoTree.publish(out.repoDir(), items, extras, r.format(), mtime, manifest, fetcher, log);
            log.info("repo: " + items.size() + " packages in " + out.repoDir());
            long bytes = 0;
            for (RepoTree.Item it : items) bytes += it.shipped().size();
            List<Artifact> made = artifacts(o, out, r, manifest, mtime, fetcher.cache().root());
            return new Built(r, out.repoDir(), made, bytes);
        }
    }

    /** Makes the artifacts asked for from the one published tree. */
    private List<Artifact> artifacts(Options o, Output out, Resolved r, String manifest, long mtime, Path cache) throws IOException {
        List<Artifact> made = new ArrayList<>();
        BuildPlan plan = r.plan();
        Path dist = out.distDir().resolve(plan.version());
        if (out.artifacts().contains("tarball")) {
            Path tgz = dist.resolve(plan.bundleName() + out.compression().suffix);
            Tarball.Result tar = Tarball.write(out.repoDir(), "pigsty", tgz, out.compression(), out.level(), mtime, out.threads());
            log.info("tarball: " + tar.file() + " (" + Progress.size(tar.size()) + ", sha256 " + tar.sha256() + ")");
            made.add(new Artifact("tarball", tar.file().toString(), tar.size(), tar.sha256()));
        }
        if (out.artifacts().contains("iso")) {
            Path iso = dist.resolve(plan.bundleName().replace("pigsty-pkg-", "pigsty-repo-") + ".iso");
            Iso9660.write(Iso9660.tree(out.repoDir(), "pigsty/"), "pigsty-" + plan.target().os(), mtime, iso);
            made.add(new Artifact("iso", iso.toString(), Files.size(iso), Checksum.sha256Of(iso)));
            log.info("iso: " + iso);
        }
        if (out.artifacts().contains("image")) {
            Image.Target t = out.image();
            Path tar = t.tar() != null ? t.tar() : dist.resolve(plan.bundleName().replace("pigsty-pkg-", "pigsty-repo-")
                    + "." + t.format() + ".tar");
            Image.Target target = new Image.Target(t.format(), tar, t.push(), t.tag() != null ? t.tag()
                    : "pigsty/repo:" + plan.version() + "-" + plan.target().label().replace('.', '-'), t.base());
            Path jar = r.localFiles().isEmpty() || !o.launcher() ? null
                    : LauncherPackage.jar(cache.resolve("launcher/pigsty-launcher.jar"), mtime);
            Image.Result img = Image.build(out.repoDir(), jar, target, plan.target().arch(), labels(plan, manifest), mtime, cache, log);
            boolean pushed = t.push() != null;
            made.add(new Artifact("image", pushed ? img.reference() + "@" + img.digest() : tar.toString(),
                    pushed ? 0 : Files.size(tar), img.digest()));
            log.info("image: " + img.layers() + " layers, " + img.digest() + (pushed ? " pushed to " + img.reference() : " in " + tar));
        }
        if (out.artifacts().contains("seed")) {
            Path inv = o.request().inventory();
            if (inv == null) {
                log.warn("no inventory (-i): no seeds made");
            } else {
                List<Seeds.Host> hosts = Seeds.hosts(YamlFile.load(inv, inv.toString(), log, true));
                List<Path> isos = Seeds.write(hosts, Files.readAllBytes(inv), r.home().resolve("overlays/seed"), dist.resolve("seed"), mtime);
                for (Path p : isos) made.add(new Artifact("seed", p.toString(), Files.size(p), Checksum.sha256Of(p)));
            }
        }
        return made;
    }

    /** Image labels: what the image is and where its packages came from. */
    private static Map<String, String> labels(BuildPlan plan, String manifest) {
        Map<String, String> l = new LinkedHashMap<>();
        l.put("org.opencontainers.image.title", plan.bundleName());
        l.put("org.opencontainers.image.version", plan.version());
        l.put("io.pigsty.os", plan.target().os());
        l.put("io.pigsty.arch", plan.target().arch());
        l.put("io.pigsty.manifest.sha256", java.util.HexFormat.of().formatHex(Checksum.digest("SHA-256")
                .digest(manifest.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        for (PlannedRepo repo : plan.repos()) l.put("io.pigsty.repo." + repo.name(), String.join(" ", repo.urls()));
        return l;
    }

    /**
     * Files laid into the bundle besides packages: the firstboot.sh stub (with the launcher), the
     * inventory given with -i as inventory/pigsty.yml, the Pigsty source tarball under src/.
     */
    private static Map<String, Path> extras(Options o, Path home) {
        Map<String, Path> x = new LinkedHashMap<>();
        if (o.launcher()) x.put("firstboot.sh", home.resolve("overlays/firstboot.sh"));
        if (o.request().inventory() != null) x.put("inventory/pigsty.yml", o.request().inventory());
        if (o.pigstySrc() != null) {
            if (!Files.isRegularFile(o.pigstySrc()))
                throw new ConfigException("--pigsty-src", o.pigstySrc() + " is not a file");
            String name = o.pigstySrc().getFileName().toString();
            if (!name.endsWith(".tgz") && !name.endsWith(".tar.gz"))
                throw new ConfigException("--pigsty-src", name + ": expected Pigsty's source tarball (pigsty-<version>.tgz)");
            x.put("src/" + name, o.pigstySrc());
        }
        for (Map.Entry<String, Path> e : x.entrySet())
            if (!Files.isRegularFile(e.getValue())) throw new ConfigException(e.getKey(), e.getValue() + " is missing");
        return x;
    }

    /** SOURCE_DATE_EPOCH when set (reproducible-builds convention), else the newest metadata time. */
    static long timestamp(Format format) {
        return sourceDate(format.metadataTime());
    }

    /** SOURCE_DATE_EPOCH (the reproducible-builds convention) when set, else {@code fallback}. */
    public static long sourceDate(long fallback) {
        String env = System.getenv("SOURCE_DATE_EPOCH");
        if (env == null || env.isBlank()) return fallback;
        try {
            return Long.parseLong(env.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException("SOURCE_DATE_EPOCH", "must be seconds since 1970, not '" + env + "'");
        }
    }

    private static Format formatFor(BuildPlan plan) {
        return plan.target().rpm() ? new RpmFormat() : new DebFormat();
    }

    private static boolean needsFileLists(Resolution res) {
        for (Resolution.Problem p : res.problems()) {
            String failed = p.chain().get(p.chain().size() - 1);
            if (failed.startsWith("/") || failed.contains("(/") || failed.contains(" /")) return true;
        }
        return false;
    }

    /**
     * A word written straight into repo_packages that matches no package and looks like a
     * package_map alias (same family prefix, or a small typo away) is a config error, not a missing
     * package: report it with the alias it probably meant.
     */
    private static void checkAliases(BuildPlan plan, Resolution res) {
        List<String> errors = new ArrayList<>();
        for (Resolution.Problem p : res.problems()) {
            if (p.spec() == null || p.chain().size() != 1 || !plan.topLevelWords().contains(p.spec().text())) continue;
            String word = p.spec().text();
            String near = nearestAlias(word, plan);
            if (near != null)
                errors.add(p.spec().origin() + ": '" + word + "' is not a package_map alias and no package has that name;"
                        + " did you mean '" + near + "'?");
        }
        if (!errors.isEmpty()) throw new ConfigException("", String.join("\n", errors)
                + "\n(aliases are the keys of package_map in the recipe or inventory)");
    }

    static String nearestAlias(String word, BuildPlan plan) {
        String best = null;
        int bestDist = Integer.MAX_VALUE;
        for (String a : plan.aliases()) {
            int d = distance(word, a);
            if (d < bestDist || d == bestDist && best != null && a.compareTo(best) < 0) {
                best = a;
                bestDist = d;
            }
        }
        if (best == null) return null;
        int dash = word.indexOf('-');
        boolean sameFamily = dash > 0 && plan.aliases().stream().anyMatch(a -> a.startsWith(word.substring(0, dash + 1)));
        return bestDist <= 2 || sameFamily ? best : null;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1], cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++)
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private Log collect(List<String> warnings) {
        return new Log() {
            @Override
            public void info(String line) {
                log.info(line);
            }

            @Override
            public synchronized void warn(String line) {
                warnings.add(line);
                log.warn(line);
            }
        };
    }
}
