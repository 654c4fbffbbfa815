package io.pigsty.offline.config;

import io.pigsty.offline.fixtures.AnsibleOracle;
import io.pigsty.offline.fixtures.Tools;
import io.pigsty.offline.model.Log;
import io.pigsty.offline.model.Spec;
import io.pigsty.offline.plan.BuildPlan;
import io.pigsty.offline.plan.Planner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pigsty's own inventory templates (all 52 of ../shared/pigsty/conf, as they are) give the package
 * words that real Ansible evaluates from Pigsty's own role data: the same infra host, group and host
 * vars over all.vars, templated values, and the recipes made from that data.
 */
class PigstyTemplatesTest {
    static final Path HOME = Path.of("..").toAbsolutePath().normalize();
    static final Path PIGSTY = HOME.resolveSibling("shared/pigsty");
    static final List<String> OSES = List.of("el9", "d12");

    @TempDir
    static Path tmp;

    /** A template as a checkout has it: a file holding only a relative path is a symlink that was copied as text. */
    static Path checkedOut(Path t) throws Exception {
        String s = Files.readString(t).strip();
        return s.matches("[\\w./-]+\\.yml") && !s.contains("\n") ? t.getParent().resolve(s).normalize() : t;
    }

    static BuildPlan plan(Path inventory, String os) {
        Map<String, String> vars = Map.of("debian_mirror", "http://mirror.invalid/debian/",
                "debian_security_mirror", "http://mirror.invalid/debian-security/");
        return Planner.plan(ConfigLoader.load(new ConfigLoader.Request(HOME, os, "x86_64", inventory, vars, Map.of(),
                Path.of("/nonexistent")), Log.QUIET));
    }

    static TreeSet<String> words(BuildPlan p) {
        return new TreeSet<>(p.specs().stream().map(Spec::text).toList());
    }

    @Test
    void everyTemplateRequestsWhatAnsibleEvaluates() throws Exception {
        Tools.require("python3", "ansible-playbook");
        List<Path> templates;
        try (Stream<Path> s = Files.walk(PIGSTY.resolve("conf"))) {
            templates = s.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
        }
        assertEquals(52, templates.size());
        List<Path> files = new ArrayList<>();
        for (Path t : templates) files.add(checkedOut(t));
        Map<String, AnsibleOracle.Answer> ansible = AnsibleOracle.answer(files, PIGSTY.resolve("roles/repo/defaults/main.yml"),
                Map.of("el9", PIGSTY.resolve("roles/node_id/vars/el9.x86_64.yml"), "d12", PIGSTY.resolve("roles/node_id/vars/d12.x86_64.yml")),
                tmp.resolve("ansible"));
        StringBuilder report = new StringBuilder();
        int compared = 0;
        for (Path f : files) {
            String name = PIGSTY.resolve("conf").relativize(f).toString();
            AnsibleOracle.Answer theirs = ansible.get(f.toString());
            if (theirs == null) {
                // Pigsty builds no repo without an infra host; neither do we (exit 2, saying so).
                ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, () -> plan(f, "el9"));
                assertTrue(e.getMessage().contains("no infra group"), e.getMessage());
                report.append(name).append(": no infra group, no repo\n");
                continue;
            }
            for (String os : OSES) {
                BuildPlan p;
                try {
                    p = plan(f, os);
                } catch (ConfigException e) {
                    // a template with its own repo_upstream for the other family only (demo/el.yml, demo/debian.yml)
                    assertTrue(e.getMessage().contains("no upstream repo matches"), name + " " + os + ": " + e.getMessage());
                    report.append(name).append(' ').append(os).append(": its repo_upstream has no repo for it\n");
                    continue;
                }
                assertEquals(theirs.host(), p.host(), name);
                assertEquals(new TreeSet<>(theirs.words().get(os)), words(p), name + " " + os);
                report.append(String.format("%s %s: %d words, as Ansible%n", name, os, words(p).size()));
                compared++;
            }
        }
        System.out.print(report);
        assertTrue(compared >= 95, compared + " template/OS pairs compared");
    }

    /** The counts Pigsty's own evaluation gives for the most used templates (the numbers). */
    @Test
    void theMostUsedTemplatesGivePigstysCounts() throws Exception {
        Map<String, int[]> expected = Map.of("rich.yml", new int[] {498, 488}, "fat.yml", new int[] {1974, 1944},
                "demo/minio.yml", new int[] {106, 98}, "meta.yml", new int[] {127, 117});
        for (Map.Entry<String, int[]> e : expected.entrySet()) {
            Path f = PIGSTY.resolve("conf").resolve(e.getKey());
            for (int i = 0; i < OSES.size(); i++) {
                BuildPlan p = plan(f, OSES.get(i));
                assertEquals(e.getValue()[i], words(p).size(), e.getKey() + " " + OSES.get(i));
                assertNotNull(p.origins().get("repo_packages"), e.getKey());
            }
        }
        assertTrue(plan(PIGSTY.resolve("conf/fat.yml"), "el9").origins().get("repo_packages").contains("group infra vars"));
        assertTrue(plan(PIGSTY.resolve("conf/demo/minio.yml"), "el9").origins().get("repo_packages").contains("templated"));
    }
}
