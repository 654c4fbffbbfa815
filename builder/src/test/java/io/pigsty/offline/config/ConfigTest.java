package io.pigsty.offline.config;

import io.pigsty.offline.fixtures.Warnings;
import io.pigsty.offline.model.BuildException;
import io.pigsty.offline.model.ExitCode;
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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Loading, merging and validating config, and turning it into a plan, with Pigsty's rules. */
class ConfigTest {
    @TempDir
    Path home;

    static final String RECIPE = """
            os: el9
            family: rpm
            major: 9
            arches: [x86_64, aarch64]
            repo_spec: [r.yml]
            vars:
              version: v1.0.0
              pg_version: 17
              repo_modules: node,pgsql
              repo_packages: [ node-bootstrap, 'pgsql-main, extra-one' ]
              repo_extra_packages: []
              package_map:
                node-bootstrap: "ansible python3"
                pgsql-main: "postgresql$v* pg_repack_${pg_version}"
                gone-on-arm: "x"
            arch_vars:
              aarch64:
                package_map:
                  node-bootstrap: "ansible"
                  gone-on-arm: ~
            """;

    static final String SPEC = """
            repo_upstream:
              - { name: base  ,module: node  ,releases: [8,9] ,arch: [x86_64, aarch64] ,baseurl: { default: 'https://a.example/$releasever/$basearch/ https://b.example/$releasever/$basearch/', china: 'https://cn.example/$releasever/' } ,meta: { excludepkgs: 'postgresql* libpq*' }}
              - { name: pg    ,module: pgsql ,releases: [9]   ,arch: [x86_64]          ,baseurl: { default: 'https://pg.example/el$releasever-$basearch' } ,meta: { priority: 10, module_hotfixes: 1 }}
              - { name: el8   ,module: node  ,releases: [8]   ,arch: [x86_64]          ,baseurl: { default: 'https://el8.example/' }}
              - { name: mongo ,module: mongo ,releases: [9]   ,arch: [x86_64]          ,baseurl: { default: 'https://mongo.example/' }}
              - { name: local ,module: local ,releases: [9]   ,arch: [x86_64]          ,baseurl: { default: 'http://${admin_ip}/pigsty' }}
              - { name: infra ,module: infra ,releases: [9]   ,arch: [x86_64]          ,baseurl: { default: 'https://infra.example/$basearch' }}
            """;

    final Warnings log = new Warnings();
    final List<String> warnings = log.lines;

    void write(String recipe, String spec) throws Exception {
        Files.createDirectories(home.resolve("recipes"));
        Files.createDirectories(home.resolve("repo-spec"));
        Files.writeString(home.resolve("recipes/el9.yml"), recipe);
        Files.writeString(home.resolve("repo-spec/r.yml"), spec);
    }

    Config load(String arch, Path inventory, Map<String, String> vars, Map<String, String> mirrors) {
        return ConfigLoader.load(new ConfigLoader.Request(home, "el9", arch, inventory, vars, mirrors), log);
    }

    @Test
    void recipeDefaultsGiveAPlan() throws Exception {
        write(RECIPE, SPEC);
        BuildPlan plan = Planner.plan(load("x86_64", null, Map.of(), Map.of()));
        assertEquals("pigsty-pkg-v1.0.0.el9.x86_64", plan.bundleName());
        // infra is always added; el8-only and mongo-module repos are not selected.
        assertEquals(List.of("base", "pg", "infra"), plan.repos().stream().map(PlannedRepo::name).toList());
        PlannedRepo base = plan.repos().get(0);
        assertEquals(List.of("https://a.example/9/x86_64/", "https://b.example/9/x86_64/"), base.urls());
        assertEquals(List.of("postgresql*", "libpq*"), base.excludes());
        assertEquals(99, base.priority());
        assertEquals(10, plan.repos().get(1).priority());
        assertTrue(((PlannedRepo.YumRepo) plan.repos().get(1)).moduleHotfixes());
        assertEquals(List.of("ansible", "python3", "postgresql17*", "pg_repack_17", "extra-one"),
                plan.specs().stream().map(Spec::text).toList());
        assertTrue(plan.specs().get(2).origin().startsWith("recipes/el9.yml:14 (alias pgsql-main"), plan.specs().get(2).origin());
    }

    @Test
    void archVarsOverrideAliasByAlias() throws Exception {
        write(RECIPE, SPEC);
        Config c = load("aarch64", null, Map.of(), Map.of());
        assertEquals("ansible", c.packageMap().get("node-bootstrap").text());
        assertTrue(!c.packageMap().containsKey("gone-on-arm"));
        assertTrue(c.packageMap().containsKey("pgsql-main"));
    }

    @Test
    void wholePigstyInventoryOverridesRecipeAndCliOverridesBoth() throws Exception {
        write(RECIPE, SPEC);
        Path inv = home.resolve("pigsty.yml");
        Files.writeString(inv, """
                all:
                  children:
                    infra: { hosts: { 10.10.10.10: { infra_seq: 1 } } }
                  vars:
                    version: v2.0.0
                    region: china
                    pg_version: 18
                    admin_ip: 10.10.10.10
                    repo_modules: node,local
                    package_map:
                      extra-one: "jq"
                """);
        BuildPlan plan = Planner.plan(load("x86_64", inv, Map.of("version", "v3.0.0"), Map.of("infra", "https://my.mirror/infra")));
        assertEquals("v3.0.0", plan.version());
        assertEquals(List.of("base", "local", "infra"), plan.repos().stream().map(PlannedRepo::name).toList());
        assertEquals(List.of("https://cn.example/9/"), plan.repos().get(0).urls());
        assertEquals(List.of("http://10.10.10.10/pigsty"), plan.repos().get(1).urls());
        assertEquals(List.of("https://my.mirror/infra"), plan.repos().get(2).urls());
        assertTrue(plan.specs().stream().map(Spec::text).toList().containsAll(List.of("postgresql18*", "jq")));
    }

    @Test
    void duplicateKeysWarnWithTheirLines() throws Exception {
        write(RECIPE.replace("  pg_version: 17\n", "  pg_version: 17\n  pg_version: 16\n"), SPEC);
        Config c = load("x86_64", null, Map.of(), Map.of());
        assertEquals("16", c.var("pg_version").text());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("recipes/el9.yml:9") && w.contains("line 8")), warnings.toString());
    }

    static BuildException configError(org.junit.jupiter.api.function.Executable e) {
        BuildException ex = assertThrows(BuildException.class, e);
        assertEquals(ExitCode.CONFIG, ex.exitCode(), ex.getMessage());
        return ex;
    }

    @Test
    void malformedYamlNamesFileLineAndColumn() throws Exception {
        write(RECIPE.replace("  pg_version: 17", "  pg_version: [17"), SPEC);
        String m = configError(() -> load("x86_64", null, Map.of(), Map.of())).getMessage();
        assertTrue(m.startsWith("recipes/el9.yml:"), m);
        assertTrue(m.contains("YAML syntax error"), m);
    }

    @Test
    void unknownTargetListsTheKnownOnes() throws Exception {
        write(RECIPE, SPEC);
        String m = configError(() -> ConfigLoader.load(new ConfigLoader.Request(home, "el7", null, null, Map.of(), Map.of()), log)).getMessage();
        assertTrue(m.contains("unknown target 'el7'") && m.contains("available: el9"), m);
        m = configError(() -> load("riscv64", null, Map.of(), Map.of())).getMessage();
        assertTrue(m.contains("x86_64, aarch64"), m);
    }

    @Test
    void repoWithoutUsableBaseurlIsNamedWithItsLine() throws Exception {
        write(RECIPE, SPEC.replace("baseurl: { default: 'https://pg.example/el$releasever-$basearch' }", "baseurl: { default: '' }"));
        String m = configError(() -> Planner.plan(load("x86_64", null, Map.of(), Map.of()))).getMessage();
        assertTrue(m.startsWith("repo-spec/r.yml:3: repo 'pg' has no baseurl"), m);
    }

    @Test
    void unsetVariableAndNonHttpUrlAndUnknownMirrorAreErrors() throws Exception {
        write(RECIPE.replace("repo_modules: node,pgsql", "repo_modules: local"), SPEC);
        String m = configError(() -> Planner.plan(load("x86_64", null, Map.of(), Map.of()))).getMessage();
        assertTrue(m.contains("repo-spec/r.yml:6") && m.contains("$admin_ip"), m);
        m = configError(() -> Planner.plan(load("x86_64", null, Map.of("admin_ip", "1.2.3.4"), Map.of("nope", "http://x/")))).getMessage();
        assertTrue(m.contains("no selected repo is named 'nope'"), m);
        write(RECIPE, SPEC.replace("https://infra.example/$basearch", "ftp://infra.example/"));
        m = configError(() -> Planner.plan(load("x86_64", null, Map.of(), Map.of()))).getMessage();
        assertTrue(m.contains("repo-spec/r.yml:7") && m.contains("not an http(s) URL"), m);
    }

    @Test
    void aptBaseurlsAndKeyringsAreChecked() throws Exception {
        Files.createDirectories(home.resolve("recipes"));
        Files.createDirectories(home.resolve("repo-spec/keys"));
        Files.writeString(home.resolve("repo-spec/keys/k.asc"), "not checked at plan time");
        Files.writeString(home.resolve("recipes/d12.yml"), """
                os: d12
                family: deb
                major: 12
                codename: bookworm
                distro_name: debian
                arches: [x86_64]
                repo_spec: [r.yml]
                vars:
                  version: v1
                  repo_packages: [ jq ]
                """);
        String spec = """
                repo_upstream:
                  - { name: base, module: node, releases: [12], baseurl: { default: '%s' }, keyring: keys/k.asc }
                  - { name: infra, module: infra, baseurl: { default: 'https://x.invalid/ ./' }, trusted: true }
                """;
        java.util.function.Function<String, String> planError = url -> {
            try {
                Files.writeString(home.resolve("repo-spec/r.yml"), spec.formatted(url));
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
            return configError(() -> Planner.plan(ConfigLoader.load(new ConfigLoader.Request(home, "d12", null, null, Map.of(),
                    Map.of(), home.resolve("no-host")), log))).getMessage();
        };
        assertTrue(planError.apply("${debian_mirror} ${distro_codename} main").contains("$debian_mirror, which is not set"));
        assertTrue(planError.apply("${debian_mirror} ${distro_codename} main").contains("build host of the same distro"));
        assertTrue(planError.apply("https://x.invalid/debian bookworm").contains("needs components"));
        assertTrue(planError.apply("https://x.invalid/debian ./ main").contains("a flat repo ('./') takes no components"));
        assertTrue(planError.apply("https://x.invalid/debian").contains("an apt baseurl is 'URL SUITE COMPONENT...' or 'URL ./'"));
        Files.writeString(home.resolve("repo-spec/r.yml"), spec.formatted("https://x.invalid/d ${distro_codename} main")
                .replace(", keyring: keys/k.asc", ""));
        String m = configError(() -> Planner.plan(ConfigLoader.load(new ConfigLoader.Request(home, "d12", null, null, Map.of(),
                Map.of(), home.resolve("no-host")), log))).getMessage();
        assertTrue(m.startsWith("repo-spec/r.yml:2: repo 'base': no key to check its Release signature"), m);
        Files.writeString(home.resolve("repo-spec/r.yml"), spec.formatted("https://x.invalid/d ${distro_codename} main"));
        BuildPlan plan = Planner.plan(ConfigLoader.load(new ConfigLoader.Request(home, "d12", null, null, Map.of(),
                Map.of("base", "https://mirror.invalid/debian/"), home.resolve("no-host")), log));
        PlannedRepo.AptRepo base = (PlannedRepo.AptRepo) plan.repos().get(0);
        assertEquals(List.of("https://mirror.invalid/debian/"), base.urls());
        assertEquals("bookworm", base.suite());
        assertEquals(List.of("main"), base.components());
        assertEquals("./", ((PlannedRepo.AptRepo) plan.repos().get(1)).suite());
    }

    @Test
    void badShapesAreExplained() throws Exception {
        write(RECIPE.replace("family: rpm", "family: apk"), SPEC);
        assertTrue(configError(() -> load("x86_64", null, Map.of(), Map.of())).getMessage().contains("recipes/el9.yml:2: family must be rpm or deb"));
        write(RECIPE, SPEC.replace("baseurl: { default: 'https://mongo.example/' }", "baseurl: 'https://mongo.example/'"));
        assertTrue(configError(() -> load("x86_64", null, Map.of(), Map.of())).getMessage().contains("repo-spec/r.yml:5: repo 'mongo': baseurl must be a mapping"));
        Path inv = home.resolve("inv.yml");
        Files.writeString(inv, "all: [1, 2]\n");
        write(RECIPE, SPEC);
        assertTrue(configError(() -> load("x86_64", inv, Map.of(), Map.of())).getMessage().startsWith(inv + ":1: 'all' must be a mapping"));
    }
}
