package io.pigsty.offline.cli;

import io.pigsty.offline.build.Build;
import io.pigsty.offline.build.Request;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Options every resolving command takes. */
final class Common {
    @Option(names = "--os", required = true, description = "Target: el8 el9 el10 d12 d13 u22 u24 (a recipe under recipes/).")
    String os;

    @Option(names = "--arch", defaultValue = "x86_64", description = "x86_64 or aarch64 (amd64/arm64 also accepted; default: ${DEFAULT-VALUE}).")
    String arch;

    @Option(names = {"-i", "--inventory"}, description = "Pigsty inventory (pigsty.yml) or a vars file; overrides the recipe.")
    Path inventory;

    @Option(names = "--host", paramLabel = "HOST", description = "The inventory host whose vars count (all.vars < its groups' vars"
            + " < its own); default: the first host of group infra, where Pigsty builds its repo.")
    String host;

    @Option(names = "--region", description = "Mirror region: default, china, europe... (overrides the 'region' var).")
    String region;

    @Option(names = "--mirror", description = "Override one repo's baseurl: NAME=URL (repeatable; several URLs space-separated).")
    Map<String, String> mirrors = new LinkedHashMap<>();

    @Option(names = {"-e", "--extra-vars"}, description = "Set a Pigsty var: KEY=VALUE (repeatable; wins over inventory and recipe).")
    Map<String, String> vars = new LinkedHashMap<>();

    @Option(names = "--home", description = "Project directory holding recipes/ and repo-spec/ (default: $PIGSTY_BUILDER_HOME or the current directory).")
    Path home;

    @Option(names = "--cache", description = "Download cache (default: <home>/output/cache).")
    Path cache;

    @Option(names = {"-j", "--jobs"}, defaultValue = "8", description = "Parallel downloads (default: ${DEFAULT-VALUE}).")
    int jobs;

    @Option(names = "--retries", defaultValue = "3", description = "Rounds over all mirrors before a download fails (default: ${DEFAULT-VALUE}).")
    int retries;

    @Option(names = "--timeout", defaultValue = "30", description = "Seconds without data before a transfer is retried (default: ${DEFAULT-VALUE}).")
    int timeout;

    @Option(names = {"--with-weak-deps", "--with-recommends"}, description = "Ship weak dependencies (RPM weak deps, Debian"
            + " Recommends). Default: as Pigsty downloads: on for EL (repotrack resolves them, and the target's dnf installs"
            + " them), off for Debian/Ubuntu (apt-cache depends --no-recommends).")
    boolean withWeakDeps;

    @Option(names = "--no-weak-deps", description = "Leave weak dependencies out (also on EL).")
    boolean noWeakDeps;

    @Option(names = "--allow-expired-release", description = "Accept an apt Release past its Valid-Until (a stale mirror)"
            + " with a warning; by default it is refused, as apt refuses it.")
    boolean allowExpiredRelease;

    @Option(names = "--skip-missing", description = "Build without what cannot be resolved; it is listed in the manifest.")
    boolean skipMissing;

    @Option(names = "--baseline", paramLabel = "FILE", description = "What a target host already has installed (repeatable): an rpm -qa"
            + " list (see the README for the one command), a dpkg status file, or a previous bundle's manifest.json."
            + " The bundle then also installs the request onto that host, upgrades included.")
    List<Path> baselines = new java.util.ArrayList<>();

    @Option(names = "--only-baselines", description = "Install onto the --baseline hosts only, not onto an empty root:"
            + " a smaller bundle for a fleet whose hosts are all known.")
    boolean onlyBaselines;

    @Option(names = "--no-launcher", description = "Leave out the pigsty-launcher package (and its Java runtime) and firstboot.sh.")
    boolean noLauncher;

    @Option(names = {"-q", "--quiet"}, description = "Only warnings and errors.")
    boolean quiet;

    @Option(names = "--debug", description = "Show stack traces on errors.")
    boolean debug;

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
