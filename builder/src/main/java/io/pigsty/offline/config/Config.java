package io.pigsty.offline.config;

import io.pigsty.bundle.Family;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The merged input of one build: the recipe of the target OS, the upstream repo definitions, and the
 * Pigsty variables after recipe, per-arch recipe overrides, inventory and command line were laid
 * over each other in that order (later wins). Every value keeps its source position.
 */
public record Config(Recipe recipe, String arch, Map<String, Node> vars, Map<String, Node> packageMap,
                     List<Upstream> upstream, Map<String, String> mirrors, Path inventory) {

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
