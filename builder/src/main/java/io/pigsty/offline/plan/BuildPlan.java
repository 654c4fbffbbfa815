package io.pigsty.offline.plan;

import io.pigsty.offline.pkg.Spec;

import java.util.List;
import java.util.Set;

/**
 * Everything a build needs to know, resolved from config and free of YAML: the target, the repos to
 * read, the package specs (aliases expanded, each with its origin), URL packages, and names used to
 * tell a mistyped alias from a missing package.
 */
public record BuildPlan(Target target, String version, List<PlannedRepo> repos, List<Spec> specs,
                        List<UrlPackage> urlPackages, Set<String> aliases, Set<String> topLevelWords) {
    public BuildPlan {
        repos = List.copyOf(repos);
        specs = List.copyOf(specs);
        urlPackages = List.copyOf(urlPackages);
        aliases = Set.copyOf(aliases);
        topLevelWords = Set.copyOf(topLevelWords);
    }

    /** {@code pigsty-pkg-v4.3.0.el9.x86_64}: the offline package's base name, as Pigsty names it. */
    public String bundleName() {
        return "pigsty-pkg-" + version + "." + target.label();
    }
}
