package io.pigsty.offline.config;

import io.pigsty.offline.model.Log;
import io.pigsty.offline.model.Spec;
import io.pigsty.offline.plan.BuildPlan;
import io.pigsty.offline.plan.PlannedRepo;
import io.pigsty.offline.plan.Planner;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shipped recipes and repo-spec load and plan for every target and arch (no network). */
class RecipesTest {
    static final Path HOME = Path.of("..").toAbsolutePath().normalize();

    @ParameterizedTest
    @CsvSource({"el8,x86_64", "el8,aarch64", "el9,x86_64", "el9,aarch64", "el10,x86_64", "el10,aarch64",
            "d12,x86_64", "d12,aarch64", "d13,x86_64", "d13,aarch64", "u22,x86_64", "u22,aarch64", "u24,x86_64", "u24,aarch64", "u26,x86_64", "u26,aarch64"})
    void everyTargetPlans(String os, String arch) {
        // Mirror variables are set explicitly: a test must not depend on the host's own sources.
        Map<String, String> vars = Map.of("debian_mirror", "http://mirror.invalid/debian/",
                "debian_security_mirror", "http://mirror.invalid/debian-security/", "ubuntu_mirror", "http://mirror.invalid/ubuntu/",
                "ubuntu_security_mirror", "http://mirror.invalid/ubuntu/", "ubuntu_ports_mirror", "http://mirror.invalid/ubuntu-ports/");
        Config c = ConfigLoader.load(new ConfigLoader.Request(HOME, os, arch, null, vars, Map.of(), Path.of("/nonexistent")), Log.QUIET);
        BuildPlan plan = Planner.plan(c);
        assertEquals("pigsty-pkg-v4.5.0." + os + "." + arch, plan.bundleName());
        assertTrue(plan.specs().size() > 50, plan.specs().size() + " specs");
        assertFalse(plan.specs().stream().map(Spec::text).anyMatch(s -> s.contains("$")), "unexpanded variable in a spec");
        List<String> names = plan.repos().stream().map(PlannedRepo::name).toList();
        assertTrue(names.contains("pigsty-infra") && names.stream().anyMatch(n -> n.startsWith("pgdg")), names.toString());
        for (PlannedRepo r : plan.repos()) {
            assertTrue(r.urls().stream().allMatch(u -> u.startsWith("http") && !u.contains("$") && !u.substring(8).contains("//")), r.toString());
            if (r instanceof PlannedRepo.AptRepo apt) assertTrue(apt.trusted() || !apt.keyrings().isEmpty() && apt.keyrings().stream().allMatch(Files::isRegularFile), r.toString());
        }
    }
}
