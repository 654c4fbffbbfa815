package io.pigsty.offline.build;

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
 * @param baselines what target hosts already have installed (rpm -qa lists, dpkg status files, or a
 *                  previous bundle's manifest.json): the bundle must install the request onto each
 */
public record Request(Path home, String os, String arch, Path inventory, Map<String, String> vars,
                      Map<String, String> mirrors, Path cache, int jobs, int retries, int timeoutSeconds,
                      boolean weakDeps, boolean skipMissing, boolean launcher, Path pigstySrc, List<Path> baselines) {
    public Request {
        vars = Map.copyOf(vars);
        mirrors = Map.copyOf(mirrors);
        baselines = List.copyOf(baselines);
    }
}
