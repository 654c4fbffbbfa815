package io.pigsty.offline.config;

import io.pigsty.bundle.Family;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The merged input of one build: the recipe of the target OS, the upstream repo definitions, and the
 * Pigsty variables after recipe, per-arch recipe overrides, inventory and command line were laid
 * over each other in that order (later wins). Every value keeps its source position. {@code aptKeys}
 * say which keys may sign an apt repo that names no keyring. {@code host} is the inventory host whose
 * vars were taken (null without an inventory); {@code origins} tell, for each repo key, the file,
 * line and level it came from.
 */
public record Config(Recipe recipe, String arch, Map<String, Node> vars, Map<String, Node> packageMap,
                     List<Upstream> upstream, Map<String, String> mirrors, Path inventory, AptKeys aptKeys,
                     String host, Map<String, String> origins) {

    /** A target OS recipe ({@code recipes/el9.yml}). */
    public record Recipe(String os, Family family, int major, String codename, String distroName,
                         List<String> arches, Path file) {
        /** The project home the recipe belongs to ({@code <home>/recipes/<os>.yml}). */
        public Path home() {
            return file.toAbsolutePath().getParent().getParent();
        }
    }

    /** One {@code repo_upstream} entry in Pigsty's schema. */
    public record Upstream(String name, String module, List<Integer> releases,
                           List<String> arch, Map<String, Node> baseurl, Map<String, Node> meta, Node node) {}

    /**
     * The keys an apt repo without a keyring of its own is checked with: the project's known keys
     * ({@code repo-spec/keys/keys.yml}) and what the build host's apt trusts.
     */
    public record AptKeys(List<Known> known, List<Path> host) {
        public static final AptKeys NONE = new AptKeys(List.of(), List.of());

        public AptKeys {
            known = List.copyOf(known);
            host = List.copyOf(host);
        }
    }

    /** A key file, and the repo URL prefixes (without scheme) or the distro whose Releases it signs. */
    public record Known(Path file, List<String> urls, String distro) {
        public Known {
            urls = List.copyOf(urls);
        }
    }

    public Node var(String key) {
        return vars.get(key);
    }

    /** A variable's text, or {@code fallback} when unset or empty. */
    public String text(String key, String fallback) {
        Node n = vars.get(key);
        if (n == null || n.isNull() || n.text().isBlank()) return fallback;
        return n.text().trim();
    }
}
