package io.pigsty.offline.cli;

import io.pigsty.offline.model.Log;
import io.pigsty.offline.build.Pipeline;
import io.pigsty.offline.config.ConfigLoader;
import io.pigsty.offline.fetch.Fetcher;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Options every resolving command takes. */
final class Common {
    @Option(names = "--os", required = true, description = "Target: el8 el9 el10 (a recipe under recipes/).")
    String os;

    @Option(names = "--arch", defaultValue = "x86_64", description = "x86_64 or aarch64 (default: ${DEFAULT-VALUE}).")
    String arch;

    @Option(names = {"-i", "--inventory"}, description = "Pigsty inventory (pigsty.yml) or a vars file; overrides the recipe.")
    Path inventory;

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

    @Option(names = {"--with-weak-deps", "--with-recommends"}, description = "Also ship weak dependencies (RPM weak deps, Debian Recommends).")
    boolean weakDeps;

    @Option(names = "--skip-missing", description = "Build without what cannot be resolved; it is listed in the manifest.")
    boolean skipMissing;

    @Option(names = "--no-launcher", description = "Leave out the pigsty-launcher package (and its Java runtime) and firstboot.sh.")
    boolean noLauncher;

    /** Set by commands that embed a Pigsty source tarball. */
    Path pigstySrc;

    @Option(names = {"-q", "--quiet"}, description = "Only warnings and errors.")
    boolean quiet;

    @Option(names = "--debug", description = "Show stack traces on errors.")
    boolean debug;

    Path home() {
        return home(home);
    }

    static Path home(Path given) {
        if (given != null) return given.toAbsolutePath().normalize();
        String env = System.getenv("PIGSTY_BUILDER_HOME");
        return Path.of(env == null || env.isBlank() ? "." : env).toAbsolutePath().normalize();
    }

    /**
     * The Pigsty version output goes under when no recipe is involved (seeds): the inventory's
     * {@code version} var, else the one the shipped recipes build.
     */
    static String defaultVersion(Path home, io.pigsty.offline.config.Node inventory) {
        io.pigsty.offline.config.Node all = inventory.get("all"), vars = all == null ? null : all.get("vars");
        io.pigsty.offline.config.Node v = vars == null ? null : vars.get("version");
        if (v != null && !v.isNull() && v.text().matches("[A-Za-z0-9._+~-]+")) return v.text();
        Path recipe = home.resolve("recipes/el9.yml");
        if (java.nio.file.Files.isRegularFile(recipe)) {
            io.pigsty.offline.config.Node r = io.pigsty.offline.config.YamlFile.load(recipe, "recipes/el9.yml", Log.QUIET);
            io.pigsty.offline.config.Node rv = r.get("vars") == null ? null : r.get("vars").get("version");
            if (rv != null) return rv.text();
        }
        return "latest";
    }

    /** SOURCE_DATE_EPOCH, else a fixed date: artifacts that depend on no metadata must still be reproducible. */
    static long sourceDate() {
        return Pipeline.sourceDate(1577836800L); // 2020-01-01T00:00:00Z
    }

    Path output() {
        return home().resolve("output");
    }

    Pipeline.Options options() {
        Map<String, String> extra = new LinkedHashMap<>(vars);
        if (region != null) extra.put("region", region);
        if (jobs < 1 || jobs > 64) throw new io.pigsty.offline.config.ConfigException("--jobs", "must be 1..64");
        ConfigLoader.Request req = new ConfigLoader.Request(home(), os, arch, inventory, extra, mirrors);
        Fetcher.Settings fs = new Fetcher.Settings(jobs, Math.max(1, retries), Duration.ofSeconds(Math.min(timeout, 15)),
                Duration.ofSeconds(timeout), Duration.ofMillis(500));
        return new Pipeline.Options(req, cache != null ? cache : output().resolve("cache"), fs, weakDeps, skipMissing,
                !noLauncher, pigstySrc);
    }

    Log log(PrintWriter err) {
        boolean q = quiet;
        return new Log() {
            @Override
            public void info(String line) {
                if (!q) err.println(line);
            }

            @Override
            public void warn(String line) {
                err.println("warning: " + line);
            }
        };
    }
}
