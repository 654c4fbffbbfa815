package io.pigsty.offline.build;

import io.pigsty.offline.format.BundleKey;
import io.pigsty.bundle.BundleLayout;
import io.pigsty.bundle.Family;
import io.pigsty.offline.config.ConfigException;
import io.pigsty.offline.config.Node;
import io.pigsty.offline.config.RecipeGenerator;
import io.pigsty.offline.config.YamlFile;
import io.pigsty.offline.fetch.Cache;
import io.pigsty.offline.fetch.Fetcher;
import io.pigsty.offline.fetch.Progress;
import io.pigsty.offline.metadata.Metadata;
import io.pigsty.offline.metadata.Prefetch;
import io.pigsty.offline.model.BuildException;
import io.pigsty.offline.model.ExitCode;
import io.pigsty.offline.model.Log;
import io.pigsty.offline.model.Package;
import io.pigsty.offline.model.Secrets;
import io.pigsty.offline.pack.Image;
import io.pigsty.offline.pack.Seeds;
import io.pigsty.offline.pack.Delta;
import io.pigsty.offline.pack.Tarball;
import io.pigsty.offline.plan.BuildPlan;
import io.pigsty.offline.plan.Target;
import io.pigsty.offline.repo.Destination;
import io.pigsty.offline.repo.Lock;
import io.pigsty.offline.repo.Manifest;
import io.pigsty.offline.repo.Sbom;
import io.pigsty.offline.solve.Resolution;
import io.pigsty.offline.vm.Golden;
import io.pigsty.offline.vm.Qemu;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A build, step by step, each step taking values and returning values:
 * plan → load (metadata) → local packages → resolve → fetch → publish (repo tree) → artifacts.
 * {@code plan} stops after resolving. Errors arrive as {@link BuildException}s carrying the exit code.
 */
public final class Build {
    /** The builder's version, also the launcher package's. */
    public static final String VERSION = "0.1.0";

    private final Reporter reporter;

    public Build(PrintWriter err, boolean quiet, boolean terminal) {
        this.reporter = new Reporter(err, quiet, terminal);
    }

    /** What {@code plan} resolved, ready to print. */
    public record PlanReport(BuildPlan plan, Resolution resolution, int droppedRecords, List<Manifest.Baseline> baselines,
                             List<String> warnings, Map<String, String> inputs, long mtime) {
        /** The machine-readable lock. */
        public String json() {
            return Lock.write(plan, resolution, droppedRecords, baselines, warnings, inputs, mtime);
        }

        /** The selection as a table; with {@code explain}, why each alternative provider was chosen. */
        public String table(boolean explain) {
            StringBuilder b = new StringBuilder();
            long total = 0;
            row(b, "PACKAGE", "VERSION", "ARCH", "REPO", "SIZE");
            for (Resolution.Pick pick : resolution.picks()) {
                Package p = pick.pkg();
                total += p.size();
                row(b, p.name(), p.evr().toString(), p.arch(), p.repo().name(), Progress.size(p.size()));
            }
            b.append(resolution.picks().size()).append(" packages, ").append(Progress.size(total)).append(" to download for ")
                    .append(plan.bundleName()).append('\n');
            if (explain) for (Resolution.Choice c : resolution.choices()) b.append("choice: ").append(c).append('\n');
            for (Resolution.Problem p : resolution.problems()) b.append("missing: ").append(p.describe()).append('\n');
            return b.toString();
        }

        /**
         * One line of the table, columns padded as {@code %-40s %-28s %-8s %-16s %10s} would pad them,
         * without a Formatter (its first use loads the locale data: about 30 ms of a warm plan).
         */
        static void row(StringBuilder b, String name, String version, String arch, String repo, String size) {
            pad(b.append(name), 40 - name.length()).append(' ');
            pad(b.append(version), 28 - version.length()).append(' ');
            pad(b.append(arch), 8 - arch.length()).append(' ');
            pad(b.append(repo), 16 - repo.length()).append(' ');
            pad(b, 10 - size.length()).append(size).append('\n');
        }

        private static StringBuilder pad(StringBuilder b, int n) {
            for (int i = 0; i < n; i++) b.append(' ');
            return b;
        }
    }

    /** What a build made. */
    public record Summary(List<Artifact> artifacts, boolean oneKind) {
        /** The artifact's location when one kind made one file; else a table of every artifact. */
        public String render() {
            if (oneKind && artifacts.size() == 1) return artifacts.get(0).location() + "\n";
            StringBuilder b = new StringBuilder(String.format("%-8s %10s  %-71s %s%n", "ARTIFACT", "SIZE", "SHA256 / DIGEST", "WHERE"));
            for (Artifact a : artifacts)
                b.append(String.format("%-8s %10s  %-71s %s%n", a.kind().id(), a.size() == 0 ? "-" : Progress.size(a.size()),
                        a.sha256(), a.location()));
            return b.toString();
        }
    }

    /**
     * Resolves and prints nothing: the plan of {@code r}. It reads metadata (file lists only when a
     * file requirement needs them), downloads repo_url_packages (their headers are their metadata)
     * and builds the launcher package, but fetches no package from a repo.
     */
    public PlanReport plan(Request r) throws IOException {
        try (Fetcher fetcher = fetcher(r)) {
            // the parsed caches the last plan read are opened while this one reads its configuration
            Prefetch ahead = Prefetch.start(fetcher);
            Resolved res = resolve(r, fetcher, new PlanStep(r, reporter).call(), ahead);
            Map<String, String> inputs = new java.util.LinkedHashMap<>(Inputs.of(r, res.plan()));
            inputs.put(Inputs.METADATA, Inputs.metadata(res.closure().index()));
            return new PlanReport(res.plan(), res.closure().resolution(), res.dropped(), res.closure().baselines(),
                    reporter.warnings(), inputs, res.mtime());
        }
    }

    /** How long a build waits for another one writing to the same repo dir or dist before it gives up. */
    static final int LOCK_WAIT_SECONDS = 600;

    /** The whole job: resolves, fetches, publishes the tree once and makes every artifact {@code o} asks for. */
    public Summary run(Request r, Output o) throws IOException {
        ArtifactStep.Packing packing = packing(o);
        java.util.Set<Sbom.Kind> sboms = sboms(o); // a bad --sbom fails now, not after the downloads
        Path output = r.home().resolve("output");
        Path repoDir = o.repoDir() != null ? o.repoDir() : output.resolve("www").resolve(BundleLayout.TOP);
        Path dist = o.dist() != null ? o.dist() : output.resolve("dist");
        Map<String, Path> extras = PublishStep.extras(r);
        if (r.inventory() != null && Secrets.present(Files.readString(r.inventory())))
            reporter.warn(r.inventory() + " holds a URL with credentials, and is embedded in the bundle as it is"
                    + " (pigsty/inventory/pigsty.yml); anyone with the bundle can read them");
        if (o.artifacts().contains(ArtifactKind.SEED) && r.inventory() != null) // a bad inventory fails now, not after the downloads
            Seeds.check(Seeds.hosts(ArtifactStep.inventory(r.inventory())), Files.readAllBytes(r.inventory()),
                    ArtifactStep.seedTemplates(r.home()));
        Destination.check(repoDir, cacheDir(r));
        try (Destination lock = Destination.lock(List.of(repoDir.toAbsolutePath().normalize().getParent(), dist), LOCK_WAIT_SECONDS,
                reporter.plain()); Fetcher fetcher = fetcher(r)) {
            BuildPlan plan = new PlanStep(r, reporter).call();
            PublishStep.Published tree;
            if (packing.since() != null) packing.since().requireTarget(plan.target().os(), plan.target().arch()); // before any download
            if (packing.golden() != null) {
                if (!r.launcher()) throw new ConfigException("--no-launcher", "a golden image installs the launcher from the bundle: build it with the launcher");
                Golden.check(packing.golden(), plan.target().arch());
            }
            Path scratch = Files.createTempDirectory(fetcher.cache().work("keys"), "build"); // key files, until published
            try {
            if (o.lock() != null) {
                Lock.Locked locked = lock(o.lock());
                Map<String, String> now = Inputs.of(r, plan);
                List<String> changed = new ArrayList<>();
                now.forEach((k, v) -> {
                    if (!v.equals(locked.inputs().get(k))) changed.add(k);
                });
                if (!changed.isEmpty())
                    throw new ConfigException("--lock " + o.lock(), "it is stale: " + String.join(", ", changed)
                            + " changed since it was made; make a new one with plan --json, or build without --lock");
                List<LocalStep.Local> locals = new LocalStep(plan, r.home(), r.launcher(), locked.mtime(), fetcher).call();
                LockStep.Built built = new LockStep(plan, locked, locals, fetcher, r.hosts().emptyRoot(), reporter).call();
                SignatureStep.Checked checked = new SignatureStep(plan, built.items(), locals, packing.key(), locked.mtime(),
                        fetcher.cache(), reporter).call();
                tree = new PublishStep(plan, built.resolution(), 0, List.of(), new io.pigsty.offline.format.IndexSet(List.of()),
                        checked.items(), withKeys(extras, checked, scratch), locked.mtime(), repoDir, packing.key(), sboms, reporter).call();
            } else {
                Resolved res = resolve(r, fetcher, plan, Prefetch.start(fetcher));
                FetchStep.Fetched fetched = new FetchStep(plan.target().format(), res.closure().resolution(), res.closure().index(),
                        res.locals(), fetcher, reporter).call();
                SignatureStep.Checked checked = new SignatureStep(plan, fetched.items(), res.locals(), packing.key(), res.mtime(),
                        fetcher.cache(), reporter).call();
                tree = new PublishStep(plan, res.closure().resolution(), res.dropped(), res.closure().baselines(), fetched.index(),
                        checked.items(), withKeys(extras, checked, scratch), res.mtime(), repoDir, packing.key(), sboms, reporter).call();
            }
            } finally {
                io.pigsty.offline.model.FileTrees.delete(scratch);
            }
            List<Artifact> made = new ArrayList<>();
            for (ArtifactKind kind : ArtifactKind.values())
                if (o.artifacts().contains(kind))
                    made.addAll(new ArtifactStep(kind, plan, tree, packing, r, dist, fetcher.cache(), reporter).call());
            return new Summary(made, o.artifacts().size() == 1);
        }
    }

    /** The extras with the key files the signature check ships, written into {@code dir}. */
    private static Map<String, Path> withKeys(Map<String, Path> extras, SignatureStep.Checked checked, Path dir) throws IOException {
        Map<String, Path> out = new java.util.LinkedHashMap<>(extras);
        for (Map.Entry<String, String> k : checked.keyFiles().entrySet()) {
            Path f = dir.resolve(k.getKey().replace('/', '_'));
            Files.writeString(f, k.getValue());
            out.put(k.getKey(), f);
        }
        return out;
    }

    /** What every command resolves first: the plan, the local packages, the closure, and the build's fixed time. */
    private record Resolved(BuildPlan plan, long mtime, int dropped, List<LocalStep.Local> locals, ResolveStep.Resolved closure) {}

    private Resolved resolve(Request r, Fetcher fetcher, BuildPlan plan, Prefetch prefetch) throws IOException {
        Target t = plan.target();
        Request.Hosts hosts = r.hosts().named(r.home().resolve("recipes/baselines"), t.os(), t.format().nativeArch(t.arch()));
        Metadata md = new LoadStep(plan, fetcher, prefetch, r.allowExpiredRelease(), reporter).call();
        long mtime = Timestamps.sourceDate(md.index().newest());
        List<LocalStep.Local> locals = new LocalStep(plan, r.home(), r.launcher(), mtime, fetcher).call();
        boolean weak = r.weakDeps() != null ? r.weakDeps() : t.family() == Family.RPM;
        ResolveStep.Resolved closure = new ResolveStep(plan, md, locals, weak, r.skipMissing(), hosts, r.launcher(), fetcher,
                reporter).call();
        return new Resolved(plan, mtime, md.dropped().size(), locals, closure);
    }

    /**
     * {@code build keygen}: a new signing key pair in {@code dir} (the secret readable by its owner
     * only), never over an existing one; returns what to do next.
     */
    public List<String> keygen(Path dir, String userId, Path passphraseFile) throws IOException {
        Path secret = dir.resolve("pigsty-sign.key"), pub = dir.resolve("pigsty-sign.asc");
        if (Files.exists(secret) || Files.exists(pub))
            throw new ConfigException("--out", dir + " already holds a key (pigsty-sign.key/.asc): move it away or choose another --out");
        char[] pass = passphrase(passphraseFile, "--passphrase-file");
        if (pass.length == 0) reporter.warn("the secret key is not locked with a passphrase: keep " + secret + " private"
                + " (set PIGSTY_SIGN_PASSPHRASE or --passphrase-file to lock it)");
        BundleKey.Pair pair = BundleKey.generate(userId, pass, new java.util.Date());
        java.util.Arrays.fill(pass, '\0');
        Files.createDirectories(dir);
        Path tmp = dir.resolve(".pigsty-sign.key.tmp" + ProcessHandle.current().pid());
        Files.createFile(tmp, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, pair.secretArmored());
        Files.move(tmp, secret, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Files.writeString(pub, pair.publicArmored());
        return List.of("secret key  " + secret, "public key  " + pub, "fingerprint " + pair.fingerprint(),
                "sign:        ./build offline ... --sign-key " + secret,
                "trust:       copy " + pub.getFileName() + " to " + BundleLayout.TRUSTED_KEY + " on the targets (or give it to the launcher with --trust)");
    }

    /** {@code build seed}: one NoCloud seed ISO per inventory host; returns "file  hostname" lines. */
    public List<String> seeds(Path home, Path inventory, Path out, Path trust) throws IOException {
        String key = null;
        if (trust != null) {
            try {
                key = Files.readString(trust);
            } catch (IOException e) {
                throw new ConfigException("--trust", "cannot read " + trust + " (" + e.getMessage() + ")");
            }
            if (!key.startsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----"))
                throw new ConfigException("--trust", trust + " is not an armored OpenPGP public key (gpg --armor --export, or build keygen's .asc)");
        }
        Node inv = ArtifactStep.inventory(inventory);
        List<Seeds.Host> hosts = Seeds.hosts(inv);
        Path dir = out != null ? out : home.resolve("output/dist").resolve(defaultVersion(home, inv)).resolve("seed");
        List<Path> isos = Seeds.write(hosts, Files.readAllBytes(inventory), ArtifactStep.seedTemplates(home), dir,
                Timestamps.sourceDate(Timestamps.NO_METADATA), key);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < hosts.size(); i++) lines.add(isos.get(i) + "  " + hosts.get(i).hostname());
        return lines;
    }

    /**
     * {@code build recipes}: writes the recipes and repo-specs made from a Pigsty tree into {@code home},
     * each file replaced whole; returns "file" lines.
     */
    public List<String> recipes(Path tree, String source, Path home) throws IOException {
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, String> f : RecipeGenerator.generate(tree, source, reporter.plain()).entrySet()) {
            Path target = home.resolve(f.getKey());
            Files.createDirectories(target.getParent());
            Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
            Files.writeString(tmp, f.getValue());
            Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            lines.add(target.toString());
        }
        return lines;
    }

    /** The exit code the CLI returns for a failure. */
    public static int exitCode(Throwable t) {
        if (t instanceof BuildException b) return b.exitCode().code;
        // a local file's failure (no such file, permissions, a full disk) is not the network's
        if (t instanceof java.nio.file.FileSystemException) return ExitCode.FAILED.code;
        return (t instanceof IOException ? ExitCode.NETWORK : ExitCode.FAILED).code;
    }

    /** A failure's message as the user may see it: credentials in URLs redacted. */
    public static String message(Throwable t) {
        return Secrets.redact(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
    }

    /** Whether a failure speaks for itself (a {@link BuildException}) or needs --debug to be understood. */
    public static boolean explained(Throwable t) {
        return t instanceof BuildException;
    }

    /** The exit code of a usage error. */
    public static int usageError() {
        return ExitCode.CONFIG.code;
    }

    private static Path cacheDir(Request r) {
        return r.cache() != null ? r.cache() : r.home().resolve("output").resolve("cache");
    }

    private Fetcher fetcher(Request r) throws IOException {
        if (r.jobs() < 1 || r.jobs() > 64) throw new ConfigException("--jobs", "must be 1..64");
        if (r.timeoutSeconds() < 1) throw new ConfigException("--timeout", "must be at least 1 second (it bounds how long a transfer may stall)");
        Fetcher.Settings fs = new Fetcher.Settings(r.jobs(), Math.max(1, r.retries()),
                Duration.ofSeconds(Math.min(r.timeoutSeconds(), 15)), Duration.ofSeconds(r.timeoutSeconds()), Duration.ofMillis(500));
        return new Fetcher(new Cache(cacheDir(r)), fs, reporter.plain());
    }

    /** The tarball's compression and the image's destination, checked before any long work. */
    private static ArtifactStep.Packing packing(Output o) {
        Tarball.Compression c;
        try {
            c = Tarball.Compression.parse(o.compress() == null ? "gzip" : o.compress());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--compress", e.getMessage());
        }
        int lvl = o.level() == null ? c.defaultLevel : o.level();
        if (c == Tarball.Compression.GZIP && (lvl < 0 || lvl > 9) || c == Tarball.Compression.ZSTD && (lvl < 1 || lvl > 19))
            throw new ConfigException("--level", lvl + " is out of range for " + o.compress());
        int threads = o.threads() == null ? Runtime.getRuntime().availableProcessors() : o.threads();
        Image.Archive archive = Image.Archive.DOCKER;
        java.util.Set<Golden.DiskFormat> disks = java.util.EnumSet.noneOf(Golden.DiskFormat.class);
        for (String f : o.image().formats())
            switch (f.trim().toLowerCase(Locale.ROOT)) {
                case "docker", "oci" -> archive = Image.Archive.valueOf(f.trim().toUpperCase(Locale.ROOT));
                case "qcow2", "raw" -> disks.add(Golden.DiskFormat.parse(f));
                default -> throw new ConfigException("--format", "use docker or oci (the container image), qcow2 or raw (the golden image), not '" + f + "'");
            }
        Path imageBase = null, vmBase = null;
        for (Path b : o.image().bases()) {
            if (!Files.isRegularFile(b)) throw new ConfigException("--base", b + ": no such file");
            boolean vm;
            try {
                vm = Golden.isDiskImage(b);
            } catch (IOException e) {
                throw new ConfigException("--base", "cannot read " + b + " (" + e.getMessage() + ")");
            }
            if (vm && vmBase != null || !vm && imageBase != null)
                throw new ConfigException("--base", "two " + (vm ? "disk images" : "docker-save tars") + " given: " + (vm ? vmBase : imageBase) + " and " + b);
            if (vm) vmBase = b;
            else imageBase = b;
        }
        if (imageBase != null && !o.artifacts().contains(ArtifactKind.IMAGE))
            throw new ConfigException("--base", imageBase + " is a tar (a container image's base), and no image is made: a golden image needs a cloud image (qcow2 or raw)");
        Golden.Settings golden = null;
        if (o.artifacts().contains(ArtifactKind.GOLDEN) && (vmBase != null || o.artifacts().size() == 1)) {
            if (vmBase == null)
                throw new ConfigException("--base", "a golden image starts from a cloud image: give one with --base (e.g. debian-12-genericcloud-amd64.qcow2)");
            if (o.image().vmTimeoutMinutes() < 1) throw new ConfigException("--vm-timeout", "give at least 1 minute");
            Qemu.Accel accel;
            try {
                accel = Qemu.Accel.parse(o.image().vmAccel());
            } catch (IllegalArgumentException e) {
                throw new ConfigException("--vm-accel", "use auto, kvm or tcg, not '" + o.image().vmAccel() + "'");
            }
            golden = new Golden.Settings(vmBase, disks, grow(o.image().size()), Duration.ofMinutes(o.image().vmTimeoutMinutes()), accel);
        } else if (vmBase != null) {
            throw new ConfigException("--base", vmBase + " is a disk image, and no golden image is made (build golden, or --artifacts golden)");
        }
        Image.Target image = new Image.Target(archive, null, o.image().push(), o.image().tag(), imageBase);
        return new ArtifactStep.Packing(new Tarball.Settings(c, lvl, Math.max(1, threads), split(o.split()), signingKey(o)), image,
                o.since() == null ? null : Delta.base(o.since()), golden);
    }

    /** {@code --sbom}: the SBOM formats the tree carries (CycloneDX when none is named). */
    static java.util.Set<Sbom.Kind> sboms(Output o) {
        java.util.Set<Sbom.Kind> kinds = java.util.EnumSet.noneOf(Sbom.Kind.class);
        for (String s : o.sbom()) {
            try {
                kinds.add(Sbom.Kind.parse(s));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("--sbom", e.getMessage());
            }
        }
        return kinds.isEmpty() ? java.util.EnumSet.of(Sbom.Kind.CYCLONEDX) : kinds;
    }

    /** {@code --size +N[KMGT]}: how much the golden image's disk grows; null: not at all. */
    static long grow(String size) {
        if (size == null) return 0;
        String v = size.trim().toLowerCase(Locale.ROOT);
        if (!v.startsWith("+")) throw new ConfigException("--size", "'" + size + "': give what to add, as +N with K, M, G or T (e.g. +4G)");
        long bytes = bytes(v.substring(1));
        if (bytes < 0) throw new ConfigException("--size", "'" + size + "' is not a size: give +N with K, M, G or T (e.g. +4G)");
        return bytes;
    }

    /** Bytes with an optional K/M/G/T (powers of 1024) and an optional "iB"/"B"; -1 when it is not that. */
    private static long bytes(String v) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,15})([kmgt]?)i?b?").matcher(v);
        if (!m.matches()) return -1;
        int shift = switch (m.group(2)) { case "k" -> 10; case "m" -> 20; case "g" -> 30; case "t" -> 40; default -> 0; };
        return Long.parseLong(m.group(1)) << shift;
    }

    /**
     * {@code --split}: bytes, with K/M/G/T (powers of 1024), or a medium: {@code dvd} (4.7 GB),
     * {@code dvd-dl} (8.5 GB), {@code bd} (25 GB), {@code fat32} (4 GiB less one byte); null or 0: no split.
     */
    static long split(String size) {
        if (size == null) return 0;
        String v = size.trim().toLowerCase(Locale.ROOT);
        long bytes = switch (v) {
            case "dvd" -> 4_700_000_000L;
            case "dvd-dl" -> 8_500_000_000L;
            case "bd" -> 25_000_000_000L;
            case "fat32" -> (4L << 30) - 1;
            default -> {
                long b = bytes(v);
                if (b < 0) throw new ConfigException("--split", "'" + size + "' is not a size: give bytes, 4G, 700M, dvd, dvd-dl, bd or fat32");
                yield b;
            }
        };
        if (bytes != 0 && bytes < 1 << 20) throw new ConfigException("--split", size + " is smaller than 1 MiB: no medium is that small");
        return bytes;
    }

    private static Lock.Locked lock(Path file) {
        try {
            return Lock.read(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new ConfigException("--lock", "cannot read " + file + " (" + e.getMessage() + ")");
        }
    }

    /** The first line of {@code file}, else PIGSTY_SIGN_PASSPHRASE, else none; never logged. */
    private static char[] passphrase(Path file, String option) {
        try {
            return file != null ? Files.readString(file).lines().findFirst().orElse("").toCharArray()
                    : System.getenv().getOrDefault("PIGSTY_SIGN_PASSPHRASE", "").toCharArray();
        } catch (IOException e) {
            throw new ConfigException(option, "cannot read " + file + " (" + e.getMessage() + ")");
        }
    }

    /** The bundle's signing key, unlocked now so a wrong key or passphrase stops the build before any download. */
    private static BundleKey signingKey(Output o) {
        if (o.signKey() == null && o.signPassphraseFile() != null)
            throw new ConfigException("--sign-passphrase-file", "given without --sign-key (or PIGSTY_SIGN_KEY): nothing would be signed");
        if (o.signKey() == null) return null;
        if (!Files.isRegularFile(o.signKey())) throw new ConfigException("--sign-key", o.signKey() + " is not a file");
        char[] pass = passphrase(o.signPassphraseFile(), "--sign-passphrase-file");
        try {
            return BundleKey.load(o.signKey(), pass);
        } catch (IOException e) {
            throw new ConfigException("--sign-key", e.getMessage());
        } finally {
            java.util.Arrays.fill(pass, '\0');
        }
    }

    /**
     * The Pigsty version output goes under when no recipe is involved (seeds): the inventory's
     * {@code version} var, else the one the shipped recipes build.
     */
    private static String defaultVersion(Path home, Node inventory) {
        Node all = inventory.get("all"), vars = all == null ? null : all.get("vars");
        Node v = vars == null ? null : vars.get("version");
        if (v != null && !v.isNull() && v.text().matches("[A-Za-z0-9._+~-]+")) return v.text();
        Path recipe = home.resolve("recipes/el9.yml");
        if (Files.isRegularFile(recipe)) {
            Node r = YamlFile.load(recipe, "recipes/el9.yml", Log.QUIET);
            Node rv = r.get("vars") == null ? null : r.get("vars").get("version");
            if (rv != null) return rv.text();
        }
        return "latest";
    }
}
