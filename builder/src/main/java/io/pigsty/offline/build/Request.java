package io.pigsty.offline.build;

import io.pigsty.offline.config.ConfigException;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a resolving command asks for, as the user typed it: the target and inputs, how downloads run,
 * and the resolution options. {@link Build} validates it.
 *
 * @param home      the project directory holding recipes/, repo-spec/ and overlays/
 * @param vars      {@code -e KEY=VALUE} (and {@code --region}) values, winning over inventory and recipe
 * @param mirrors   {@code --mirror NAME=URL} overrides of one repo's baseurl
 * @param cache     the download cache, or null for {@code <home>/output/cache}
 * @param launcher  ship the pigsty-launcher package, its Java runtime and firstboot.sh
 * @param pigstySrc a Pigsty source tarball to embed, or null
 * @param weakDeps  ship weak dependencies; null: as Pigsty downloads (on for EL, off for Debian/Ubuntu)
 * @param hosts     the hosts the bundle must install onto
 * @param host      the inventory host whose vars count (null: the first infra host, as Pigsty builds its repo there)
 * @param allowExpiredRelease accept an apt Release past its Valid-Until (with a warning) instead of refusing it
 */
public record Request(Path home, String os, String arch, Path inventory, Map<String, String> vars,
                      Map<String, String> mirrors, Path cache, int jobs, int retries, int timeoutSeconds,
                      Boolean weakDeps, boolean skipMissing, boolean launcher, Path pigstySrc, Hosts hosts, String host,
                      boolean allowExpiredRelease) {
    public Request {
        vars = Map.copyOf(vars);
        mirrors = Map.copyOf(mirrors);
    }

    /** {@code --with-weak-deps} / {@code --no-weak-deps} as one setting: null when neither is given. */
    public static Boolean weakDeps(boolean with, boolean without) {
        if (with && without) throw new ConfigException("--no-weak-deps", "contradicts --with-weak-deps; give one of them");
        return with ? Boolean.TRUE : without ? Boolean.FALSE : null;
    }

    /**
     * The hosts a bundle must install onto: an empty root unless {@code emptyRoot} is false, and one
     * host per baseline file (an rpm -qa list, a dpkg status file, or a previous bundle's manifest.json).
     */
    public record Hosts(List<Path> baselines, boolean emptyRoot) {
        public static final Hosts EMPTY_ROOT = new Hosts(List.of(), true);

        public Hosts {
            baselines = List.copyOf(baselines);
            if (baselines.isEmpty() && !emptyRoot)
                throw new ConfigException("--only-baselines", "give at least one --baseline FILE: with none there is no host to install onto");
        }

        /**
         * These hosts with each baseline given by a bare name (no such file, e.g. {@code minbase})
         * taken from the project's shipped ones: {@code <dir>/<os>-<name>.<arch>.*}.
         */
        Hosts named(Path dir, String os, String arch) {
            List<Path> out = new java.util.ArrayList<>();
            for (Path b : baselines) {
                if (java.nio.file.Files.exists(b) || b.getNameCount() != 1 || !b.toString().matches("[a-z0-9][a-z0-9-]*")) {
                    out.add(b);
                    continue;
                }
                String prefix = os + "-" + b + "." + arch + ".";
                ConfigException none = new ConfigException("--baseline " + b, "no such file, and no shipped baseline " + dir.resolve(prefix + "*"));
                if (!java.nio.file.Files.isDirectory(dir)) throw none;
                try (java.util.stream.Stream<Path> s = java.nio.file.Files.list(dir)) {
                    out.add(s.filter(f -> f.getFileName().toString().startsWith(prefix)).findFirst().orElseThrow(() -> none));
                } catch (java.io.IOException e) {
                    throw new ConfigException("--baseline " + b, "no such file, and " + dir + " cannot be read (" + e.getMessage() + ")");
                }
            }
            return new Hosts(out, emptyRoot);
        }
    }
}
