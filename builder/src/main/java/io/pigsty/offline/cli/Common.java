package io.pigsty.offline.cli;

import io.pigsty.offline.build.Build;
import io.pigsty.offline.build.Request;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Options every resolving command takes. */
final class Common {
    String os;
    String arch = "x86_64";
    Path inventory;
    String host;
    String region;
    final Map<String, String> mirrors = new LinkedHashMap<>();
    final Map<String, String> vars = new LinkedHashMap<>();
    Path home;
    Path cache;
    int jobs = 8;
    int retries = 3;
    int timeout = 30;
    boolean withWeakDeps;
    boolean noWeakDeps;
    boolean allowExpiredRelease;
    boolean skipMissing;
    final List<Path> baselines = new java.util.ArrayList<>();
    boolean onlyBaselines;
    boolean noLauncher;
    boolean quiet;
    boolean debug;

    /** Adds these options to a command's. */
    Args options(Args a) {
        return a.required("--os", "TARGET", "Target: el8 el9 el10 d12 d13 u22 u24 (a recipe under recipes/).", v -> os = v)
                .value("--arch", "ARCH", "x86_64 or aarch64 (amd64/arm64 also accepted; default: x86_64).", v -> arch = v)
                .value("-i,--inventory", "FILE", "Pigsty inventory (pigsty.yml) or a vars file; overrides the recipe.", v -> inventory = Args.path(v))
                .value("--host", "HOST", "The inventory host whose vars count (all.vars < its groups' vars < its own); default: the first"
                        + " host of group infra, where Pigsty builds its repo.", v -> host = v)
                .value("--region", "REGION", "Mirror region: default, china, europe... (overrides the 'region' var).", v -> region = v)
                .value("--mirror", "NAME=URL", "Override one repo's baseurl (repeatable; several URLs space-separated).",
                        v -> Args.entry("--mirror", v, mirrors))
                .value("-e,--extra-vars", "KEY=VALUE", "Set a Pigsty var (repeatable; wins over inventory and recipe).",
                        v -> Args.entry("--extra-vars", v, vars))
                .value("--home", "DIR", "Project directory holding recipes/ and repo-spec/ (default: $PIGSTY_BUILDER_HOME or the current"
                        + " directory).", v -> home = Args.path(v))
                .value("--cache", "DIR", "Download cache (default: <home>/output/cache).", v -> cache = Args.path(v))
                .value("-j,--jobs", "N", "Parallel downloads (default: 8).", v -> jobs = Args.integer("--jobs", v))
                .value("--retries", "N", "Rounds over all mirrors before a download fails (default: 3).", v -> retries = Args.integer("--retries", v))
                .value("--timeout", "SECONDS", "Seconds without data before a transfer is retried (default: 30).",
                        v -> timeout = Args.integer("--timeout", v))
                .flag("--with-weak-deps,--with-recommends", "Ship weak dependencies (RPM weak deps, Debian Recommends). Default: as Pigsty"
                        + " downloads: on for EL (repotrack resolves them, and the target's dnf installs them), off for Debian/Ubuntu"
                        + " (apt-cache depends --no-recommends).", () -> withWeakDeps = true)
                .flag("--no-weak-deps", "Leave weak dependencies out (also on EL).", () -> noWeakDeps = true)
                .flag("--allow-expired-release", "Accept an apt Release past its Valid-Until (a stale mirror) with a warning; by default it"
                        + " is refused, as apt refuses it.", () -> allowExpiredRelease = true)
                .flag("--skip-missing", "Build without what cannot be resolved; it is listed in the manifest.", () -> skipMissing = true)
                .value("--baseline", "FILE", "What a target host already has installed (repeatable): an rpm -qa list (see the README for the"
                        + " one command), a dpkg status file, or a previous bundle's manifest.json. The bundle then also installs the"
                        + " request onto that host, upgrades included.", v -> baselines.add(Args.path(v)))
                .flag("--only-baselines", "Install onto the --baseline hosts only, not onto an empty root: a smaller bundle for a fleet"
                        + " whose hosts are all known.", () -> onlyBaselines = true)
                .flag("--no-launcher", "Leave out the pigsty-launcher package (and its Java runtime) and firstboot.sh.", () -> noLauncher = true)
                .flag("-q,--quiet", "Only warnings and errors.", () -> quiet = true)
                .flag("--debug", "Show stack traces on errors.", () -> debug = true);
    }

    static Path home(Path given) {
        if (given != null) return given.toAbsolutePath().normalize();
        String env = System.getenv("PIGSTY_BUILDER_HOME");
        return Path.of(env == null || env.isBlank() ? "." : env).toAbsolutePath().normalize();
    }

    Request request(Path pigstySrc) {
        Map<String, String> extra = new LinkedHashMap<>(vars);
        if (region != null) extra.put("region", region);
        return new Request(home(home), os, arch, inventory, extra, mirrors, cache, jobs, retries, timeout, Request.weakDeps(withWeakDeps, noWeakDeps), skipMissing,
                !noLauncher, pigstySrc, new Request.Hosts(baselines, !onlyBaselines), host, allowExpiredRelease);
    }

    Build build(PrintWriter err) {
        return new Build(err, quiet, System.console() != null);
    }
}
