package io.pigsty.offline.config;

import io.pigsty.offline.fixtures.Warnings;
import io.pigsty.offline.model.Spec;
import io.pigsty.offline.plan.BuildPlan;
import io.pigsty.offline.plan.PlannedRepo;
import io.pigsty.offline.plan.Planner;
import io.pigsty.offline.plan.UrlPackage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Small inventories in Pigsty's shape with answers computed by hand: which host's vars count,
 * group over all.vars and host over group, templated lists, url packages with placeholders, and
 * an apt repo_upstream without keyring.
 */
class InventoryTest {
    @TempDir
    Path home;

    final Warnings log = new Warnings();
    final List<String> warnings = log.lines;

    static final String EL9 = """
            os: el9
            family: rpm
            major: 9
            arches: [x86_64, aarch64]
            repo_spec: [el9.yml]
            vars:
              version: v1.0.0
              pg_version: 17
              region: default
              repo_modules: node
              repo_url_packages: []
              repo_packages_default: [ node-bootstrap, node-package ]
              repo_extra_packages_default: [ pgsql-main ]
              package_map:
                node-bootstrap: "ansible python3"
                node-package: "jq curl"
                pgsql-main: "postgresql$v-server pg_repack_$v"
            """;

    void write(String os, String recipe, String spec) throws Exception {
        Files.createDirectories(home.resolve("recipes"));
        Files.createDirectories(home.resolve("repo-spec"));
        Files.writeString(home.resolve("recipes/" + os + ".yml"), recipe);
        Files.writeString(home.resolve("repo-spec/" + os + ".yml"), spec);
    }

    BuildPlan plan(String os, String inventory, String host, Map<String, String> vars) throws Exception {
        Path inv = home.resolve("pigsty.yml");
        Files.writeString(inv, inventory);
        return Planner.plan(ConfigLoader.load(new ConfigLoader.Request(home, os, "x86_64", inv, vars, Map.of(), home.resolve("no-host"), host), log));
    }

    static List<String> specs(BuildPlan p) {
        return p.specs().stream().map(Spec::text).toList();
    }

    @Test
    void theInfraHostsVarsWinHostOverGroupOverAll() throws Exception {
        write("el9", EL9, "repo_upstream:\n  - { name: base, module: node, releases: [9], baseurl: { default: 'https://a.example/$basearch/' } }\n");
        String inv = """
                all:
                  children:
                    pg-meta:
                      hosts: { 10.10.10.11: { pg_seq: 1, repo_extra_packages: [ from-pg-host ] } }
                      vars: { repo_packages: [ from-pg-group ] }
                    infra:
                      hosts:
                        10.10.10.10: { pg_version: 16 }
                        10.10.10.12: {}
                      vars:
                        repo_extra_packages: [ pgsql-main, 'zstd,lz4' ]
                        pg_version: 15
                    etcd:
                      children:
                        infra-etcd: { hosts: { 10.10.10.10: { repo_packages: [ node-package ] } }, vars: { repo_packages: [ ignored ] } }
                  vars:
                    version: v2.0.0
                    repo_packages: [ node-bootstrap ]
                    pg_version: 14
                """;
        BuildPlan p = plan("el9", inv, null, Map.of());
        // host 10.10.10.10 (first of infra): repo_packages from its host vars in infra-etcd, beating every group;
        // pg_version 16 from its host vars in infra, beating group infra's 15 and all.vars' 14;
        // repo_extra_packages from group infra; version from all.vars.
        assertEquals("10.10.10.10", p.host());
        assertEquals(List.of("jq", "curl", "postgresql16-server", "pg_repack_16", "zstd", "lz4"), specs(p));
        assertEquals("pigsty-pkg-v2.0.0.el9.x86_64", p.bundleName());
        assertTrue(p.origins().get("repo_packages").contains("host 10.10.10.10 vars"), p.origins().toString());
        assertTrue(p.origins().get("repo_extra_packages").contains("group infra vars"), p.origins().toString());
        assertTrue(p.origins().get("version").contains("all.vars"), p.origins().toString());
        // the first boot's packages (node-bootstrap) were not asked for: a bundle with the launcher adds them, and says why
        assertEquals(List.of("ansible", "python3"), p.firstBoot().stream().map(Spec::text).toList());
        assertTrue(p.firstBoot().get(0).origin().contains(Planner.FIRST_BOOT), p.firstBoot().toString());

        // --host picks another host; its groups' vars apply (pg-meta's group repo_packages, its own extras).
        p = plan("el9", inv, "10.10.10.11", Map.of());
        assertEquals(List.of("from-pg-group", "from-pg-host"), specs(p));
        assertEquals(2, assertThrows(ConfigException.class, () -> plan("el9", inv, "10.9.9.9", Map.of())).exitCode().code);

        // With no infra group Pigsty builds no repo, and says so.
        ConfigException e = assertThrows(ConfigException.class, () -> plan("el9", "all:\n  children:\n    pg-meta: { hosts: { 10.10.10.11: {} } }\n", null, Map.of()));
        assertTrue(e.getMessage().contains("no infra group") && e.getMessage().contains("--host"), e.getMessage());
    }

    @Test
    void templatedListsAreEvaluatedNeverSplitIntoNames() throws Exception {
        write("el9", EL9, "repo_upstream:\n  - { name: base, module: node, releases: [9], baseurl: { default: 'https://a.example/$basearch/' } }\n");
        String inv = """
                all:
                  children: { infra: { hosts: { 10.10.10.10: {} } } }
                  vars:
                    my_extra: [ 'htop', 'node-package' ]
                    repo_packages: "{{ repo_packages_default | reject('equalto', 'node-package') | list }}"
                    repo_extra_packages: "{{ my_extra + ['iotop'] | unique }}"
                    version: "v{{ '3' ~ '.0' }}"
                """;
        BuildPlan p = plan("el9", inv, null, Map.of());
        assertEquals(List.of("ansible", "python3", "htop", "jq", "curl", "iotop"), specs(p));
        assertEquals("pigsty-pkg-v3.0.el9.x86_64", p.bundleName());
        assertTrue(p.origins().get("repo_packages").contains("templated"), p.origins().toString());

        // What this subset does not evaluate is refused with the place and the expression.
        ConfigException e = assertThrows(ConfigException.class, () -> plan("el9", """
                all:
                  children: { infra: { hosts: { 10.10.10.10: {} } } }
                  vars:
                    repo_packages: "{{ lookup('file', '/etc/passwd') }}"
                """, null, Map.of()));
        assertTrue(e.getMessage().contains("pigsty.yml:4") && e.getMessage().contains("lookup('file', '/etc/passwd')"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> plan("el9", """
                all:
                  children: { infra: { hosts: { 10.10.10.10: {} } } }
                  vars:
                    repo_packages: "{{ nosuch | list }}"
                """, null, Map.of()));
        assertTrue(e.getMessage().contains("not defined"), e.getMessage());
    }

    @Test
    void urlPackagePlaceholdersAreFilledAndChinaUsesPigstysMirror() throws Exception {
        write("el9", EL9, "repo_upstream:\n  - { name: base, module: node, releases: [9], baseurl: { default: 'https://a.example/$basearch/' } }\n");
        String inv = """
                all:
                  children: { infra: { hosts: { 10.10.10.10: {} } } }
                  vars:
                    repo_url_packages:
                      - https://repo.pigsty.io/etc/tool-1.0.el${releasever}.${arch}.rpm
                      - { name: other.rpm, url: 'https://example.org/${arch}/other.rpm' }
                """;
        List<UrlPackage> u = plan("el9", inv, null, Map.of()).urlPackages();
        assertEquals(List.of("https://repo.pigsty.io/etc/tool-1.0.el9.x86_64.rpm", "https://example.org/x86_64/other.rpm"),
                u.stream().map(UrlPackage::url).toList());
        assertEquals(List.of("tool-1.0.el9.x86_64.rpm", "other.rpm"), u.stream().map(UrlPackage::name).toList());
        u = plan("el9", inv, null, Map.of("region", "china")).urlPackages();
        assertEquals("https://repo.pigsty.cc/etc/tool-1.0.el9.x86_64.rpm", u.get(0).url());
    }

    @Test
    void anAptEntryWithoutKeyringIsCheckedWithTheKeysAptWouldTrust() throws Exception {
        write("d12", """
                os: d12
                family: deb
                major: 12
                codename: bookworm
                distro_name: debian
                arches: [x86_64]
                repo_spec: [d12.yml]
                vars: { version: v1, repo_modules: node, repo_packages: [ jq ] }
                """, "repo_upstream: []\n");
        Files.createDirectories(home.resolve("repo-spec/keys"));
        Files.writeString(home.resolve("repo-spec/keys/a.asc"), "key a");
        Files.writeString(home.resolve("repo-spec/keys/keys.yml"), """
                - { file: a.asc, urls: [ repo.example/apt/ ] }
                - { file: /usr/share/keyrings/nosuch-archive-keyring.gpg, distro: debian }
                """);
        Path hostRoot = home.resolve("host");
        Files.createDirectories(hostRoot.resolve("etc/apt/trusted.gpg.d"));
        Files.writeString(hostRoot.resolve("etc/apt/trusted.gpg.d/local.asc"), "host key");
        Files.writeString(hostRoot.resolve("etc/apt/trusted.gpg.d/notes.txt"), "not a key file");
        Path inv = home.resolve("pigsty.yml");
        Files.writeString(inv, """
                all:
                  children: { infra: { hosts: { 10.10.10.10: {} } } }
                  vars:
                    repo_upstream:
                      - { name: mine,  module: node, releases: [12], arch: [x86_64], baseurl: { default: 'https://repo.example/apt/ ${distro_codename} main' } }
                      - { name: other, module: node, releases: [12], arch: [x86_64], baseurl: { default: 'https://other.example/ ./' } }
                """);
        BuildPlan p = Planner.plan(ConfigLoader.load(new ConfigLoader.Request(home, "d12", "x86_64", inv, Map.of(), Map.of(), hostRoot), log));
        PlannedRepo.AptRepo mine = (PlannedRepo.AptRepo) p.repos().get(0), other = (PlannedRepo.AptRepo) p.repos().get(1);
        // the shipped key for its URL first, then what the host's apt trusts (the missing distro key is left out)
        assertEquals(List.of(home.resolve("repo-spec/keys/a.asc"), hostRoot.resolve("etc/apt/trusted.gpg.d/local.asc")), mine.keyrings());
        assertEquals(List.of(hostRoot.resolve("etc/apt/trusted.gpg.d/local.asc")), other.keyrings());
        // a host that trusts nothing, and no shipped key for the URL: refused before any download
        ConfigException e = assertThrows(ConfigException.class, () -> Planner.plan(ConfigLoader.load(new ConfigLoader.Request(home, "d12",
                "x86_64", inv, Map.of(), Map.of(), home.resolve("bare")), log)));
        assertTrue(e.getMessage().contains("repo 'other': no key to check its Release signature"), e.getMessage());
    }

    /** Inventories that are wrong in shape: each refused with the file and line, or warned about, never guessed. */
    @Test
    void badInventoriesAreRefusedWithFileAndLine() throws Exception {
        write("el9", EL9, "repo_upstream:\n  - { name: base, module: node, releases: [9], baseurl: { default: 'https://a.example/$basearch/' } }\n");
        String head = "all:\n  children: { infra: { hosts: { 10.10.10.10: {} } } }\n  vars:\n";
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("", "pigsty.yml: the inventory is empty");
        cases.put(head + "    repo_packages: redalpha\n", "pigsty.yml:4: repo_packages must be a list, e.g. [ redalpha ]");
        cases.put(head + "    repo_packages: [ [ a, b ] ]\n", "pigsty.yml:4: repo_packages holds a list");
        cases.put(head + "    repo_packages: ~\n", "pigsty.yml:4: repo_packages is empty (~)");
        cases.put(head + "    repo_modules: 5\n", "pigsty.yml:4 (repo_modules): no upstream repo matches modules [5, infra]");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            ConfigException e = assertThrows(ConfigException.class, () -> plan("el9", c.getKey(), null, Map.of()), c.getKey());
            assertTrue(e.getMessage().contains(c.getValue()), c.getKey() + " -> " + e.getMessage());
        }
        // a key one letter away from one the build reads: built, with a "did you mean"
        plan("el9", head + "    repo_pakages: [ htop ]\n", null, Map.of());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("pigsty.yml:4: 'repo_pakages' is not a key this build reads; did you mean 'repo_packages'?")),
                warnings.toString());
        // bytes that are not UTF-8: the line they are on
        Path inv = home.resolve("pigsty.yml");
        Files.write(inv, (head + "    version: v1\n    region: caf\u00e9\n").replace("\u00e9", "E").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        byte[] b = Files.readAllBytes(inv);
        b[b.length - 2] = (byte) 0xe9; // latin-1 e-acute
        Files.write(inv, b);
        ConfigException e = assertThrows(ConfigException.class, () -> Planner.plan(ConfigLoader.load(new ConfigLoader.Request(home, "el9",
                "x86_64", inv, Map.of(), Map.of(), home.resolve("no-host")), log)));
        assertTrue(e.getMessage().contains("pigsty.yml:5: not UTF-8 text (byte 0xe9"), e.getMessage());
        // an alias bomb of 800 bytes: refused quickly, not expanded into gigabytes
        StringBuilder bomb = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < 12; i++) bomb.append("a").append(i).append(": &a").append(i).append(" [").append(String.join(", ",
                java.util.Collections.nCopies(9, "*a" + (i - 1)))).append("]\n");
        long t0 = System.nanoTime();
        e = assertThrows(ConfigException.class, () -> plan("el9", bomb.toString(), null, Map.of()));
        assertTrue(e.getMessage().contains("an alias bomb?"), e.getMessage());
        assertTrue(System.nanoTime() - t0 < 10_000_000_000L, "took more than 10 s");
    }

    @Test
    void anInventorysPackageMapIsAppliedAndTold() throws Exception {
        write("el9", EL9, "repo_upstream:\n  - { name: base, module: node, releases: [9], baseurl: { default: 'https://a.example/$basearch/' } }\n");
        BuildPlan p = plan("el9", """
                all:
                  children: { infra: { hosts: { 10.10.10.10: {} } } }
                  vars:
                    package_map: { node-package: "htop" }
                """, null, Map.of());
        assertEquals(List.of("ansible", "python3", "htop", "postgresql17-server", "pg_repack_17"), specs(p));
        assertTrue(warnings.stream().anyMatch(w -> w.contains("package_map aliases node-package") && w.contains("Pigsty itself ignores")), warnings.toString());
    }
}
