package io.pigsty.offline.plan;

import io.pigsty.offline.model.Spec;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything a build needs to know, resolved from config and free of YAML: the target, the repos to
 * read, the package specs (aliases expanded, each with its origin), URL packages, names used to
 * tell a mistyped alias from a missing package, and the bootstrap packages the launcher installs
 * first on the target (firstboot.packages, else Pigsty's node-bootstrap alias) with {@code firstBoot}
 * the specs of those the package lists do not ask for (a bundle with the launcher must hold them
 * too, or its first boot fails). {@code host} is the inventory host whose vars
 * were taken (null without an inventory) and {@code origins} where each repo key came from.
 */
public record BuildPlan(Target target, String version, List<PlannedRepo> repos, List<Spec> specs,
                        List<UrlPackage> urlPackages, Set<String> aliases, Set<String> topLevelWords, List<String> bootstrap,
                        List<Spec> firstBoot, String host, Map<String, String> origins) {
    public BuildPlan {
        origins = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(origins));
        bootstrap = List.copyOf(bootstrap);
        firstBoot = List.copyOf(firstBoot);
        repos = List.copyOf(repos);
        specs = List.copyOf(specs);
        urlPackages = List.copyOf(urlPackages);
        aliases = Set.copyOf(aliases);
        topLevelWords = Set.copyOf(topLevelWords);
    }

    /** {@code pigsty-pkg-v4.3.0.el9.x86_64}: the offline package's base name, as Pigsty names it. */
    public String bundleName() {
        return target.bundleName(version);
    }
}
