package io.pigsty.offline.config;

import io.pigsty.bundle.Family;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The merged input of one build: the recipe of the target OS, the upstream repo definitions, and the
 * Pigsty variables after recipe, per-arch recipe overrides, inventory and command line were laid
 * over each other in that order (later wins). Every value keeps its source position. {@code keys}
 * say which keys may sign a repo that names none of its own. {@code host} is the inventory host whose
 * vars were taken (null without an inventory); {@code origins} tell, for each repo key, the file,
 * line and level it came from.
 */
public record Config(Recipe recipe, String arch, Map<String, Node> vars, Map<String, Node> packageMap,
                     List<Upstream> upstream, Map<String, String> mirrors, Path inventory, Keys keys,
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
     * The keys a repo that names none of its own is checked with: the project's known keys
     * ({@code repo-spec/keys/keys.yml}), what the build host's apt trusts (Debian targets) and the
     * host's {@code /etc/pki/rpm-gpg/} keys (EL targets).
     */
    public record Keys(List<Known> known, List<Path> aptHost, List<Path> rpmHost) {
        public static final Keys NONE = new Keys(List.of(), List.of(), List.of());

        public Keys {
            known = List.copyOf(known);
            aptHost = List.copyOf(aptHost);
            rpmHost = List.copyOf(rpmHost);
        }
    }

    /**
     * A key file, the families whose repos it may sign, and the repo URL prefixes (without scheme)
     * or the distro whose repos it signs.
     */
    public record Known(Path file, java.util.Set<Family> families, List<String> urls, String distro) {
        public Known {
            families = java.util.Set.copyOf(families);
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
