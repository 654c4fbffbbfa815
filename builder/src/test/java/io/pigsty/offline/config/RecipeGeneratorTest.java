package io.pigsty.offline.config;

import io.pigsty.offline.model.Log;
import io.pigsty.offline.model.Spec;
import io.pigsty.offline.plan.BuildPlan;
import io.pigsty.offline.plan.PlannedRepo;
import io.pigsty.offline.plan.Planner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code build recipes --from <pigsty tree>}: a small tree made here, and Pigsty's own current one. */
class RecipeGeneratorTest {
    static final Path HOME = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    @Test
    void aSmallTreeBecomesRecipesAndSpecsThatPlan() throws Exception {
        Path tree = tmp.resolve("pigsty");
        Files.createDirectories(tree.resolve("roles/node_id/vars"));
        Files.createDirectories(tree.resolve("roles/repo/defaults"));
        Files.writeString(tree.resolve("README.md"), "Copied from Pigsty, commit `abc1234` (`git describe`: v9.9.9-1).\n");
        Files.writeString(tree.resolve("roles/repo/defaults/main.yml"), """
                repo_modules: infra,node
                repo_url_packages: []
                repo_exists: false
                version: v9.9.9
                region: default
                pg_version: 17
                """);
        String el9 = """
                repo_packages_default: [ node-bootstrap, pgsql-main ]
                repo_extra_packages_default: []
                repo_upstream_default:
                  - { name: base, module: node, releases: [8,9], arch: [x86_64, aarch64], baseurl: { default: 'https://example.invalid/$releasever/' } }
                  - { name: ten,  module: node, releases: [10],  arch: [x86_64, aarch64], baseurl: { default: 'https://example.invalid/ten/' } }
                package_map:
                  node-bootstrap: "ansible sow"
                  pgsql-main: "postgresql$v* %s"
                """;
        Files.writeString(tree.resolve("roles/node_id/vars/el9.x86_64.yml"), el9.formatted("pg_repack_$v"));
        Files.writeString(tree.resolve("roles/node_id/vars/el9.aarch64.yml"), el9.formatted("pg_repack_$v.aarch64"));
        Files.writeString(tree.resolve("roles/node_id/vars/u24.x86_64.yml"), """
                repo_packages_default: [ jq ]
                repo_upstream_default:
                  - { name: base, module: node, releases: [12], arch: [x86_64], baseurl: { default: '${debian_mirror}/ ${distro_codename} main' } }
                  - { name: base, module: node, releases: [24], arch: [aarch64], baseurl: { default: 'http://ports.example.invalid/ubuntu-ports/ ${distro_codename} main' } }
                package_map: {}
                """);
        Map<String, String> files = RecipeGenerator.generate(tree, null, Log.QUIET);
        assertEquals(List.of("recipes/el9.yml", "recipes/u24.yml", "repo-spec/el9.yml", "repo-spec/u24.yml"), List.copyOf(files.keySet()));
        for (String f : files.values()) assertTrue(f.contains("# Source : Pigsty v9.9.9-1 (commit abc1234)"), f);
        assertTrue(files.get("repo-spec/u24.yml").contains("'${ubuntu_ports_mirror}/ ${distro_codename} main'"), files.get("repo-spec/u24.yml"));
        assertFalse(files.get("repo-spec/u24.yml").contains("ports.example.invalid"), "the archive host is never written down");
        assertFalse(files.get("repo-spec/u24.yml").contains("debian_mirror"), "entries of other releases are left out");
        assertFalse(files.get("repo-spec/el9.yml").contains("name: ten"), "entries of other releases are left out");

        Path home = tmp.resolve("home");
        for (Map.Entry<String, String> f : files.entrySet()) {
            Files.createDirectories(home.resolve(f.getKey()).getParent());
            Files.writeString(home.resolve(f.getKey()), f.getValue());
        }
        for (String arch : List.of("x86_64", "aarch64")) {
            BuildPlan p = Planner.plan(ConfigLoader.load(new ConfigLoader.Request(home, "el9", arch, null, Map.of(), Map.of(),
                    Path.of("/nonexistent")), Log.QUIET));
            assertEquals("pigsty-pkg-v9.9.9.el9." + arch, p.bundleName());
            assertEquals(List.of("ansible", "sow", "postgresql17*", arch.equals("x86_64") ? "pg_repack_17" : "pg_repack_17.aarch64"),
                    p.specs().stream().map(Spec::text).toList());
            assertEquals(List.of("base"), p.repos().stream().map(PlannedRepo::name).toList());
            assertEquals(List.of("https://example.invalid/9/"), p.repos().get(0).urls());
        }
        Files.delete(tree.resolve("README.md"));
        assertTrue(assertThrows(ConfigException.class, () -> RecipeGenerator.generate(tree, null, Log.QUIET)).getMessage().contains("--source"));
        assertTrue(RecipeGenerator.generate(tree, "Pigsty test", Log.QUIET).get("recipes/el9.yml").contains("# Source : Pigsty test"));
    }

    /** The shipped recipes are exactly what Pigsty's current tree gives: nobody edited them by hand. */
    @Test
    void theShippedRecipesAreGeneratedFromPigstysCurrentTree() throws Exception {
        Map<String, String> files = RecipeGenerator.generate(HOME.resolveSibling("shared/pigsty"), null, Log.QUIET);
        assertEquals(16, files.size());
        for (Map.Entry<String, String> f : files.entrySet())
            assertEquals(f.getValue(), Files.readString(HOME.resolve(f.getKey())), f.getKey() + " differs from what `build recipes` makes");
    }
}
