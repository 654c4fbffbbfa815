package io.pigsty.offline.plan;

import io.pigsty.bundle.Family;
import io.pigsty.offline.model.Spec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class AliasHintTest {
    private static BuildPlan plan(String... aliases) {
        return new BuildPlan(new Target("el9", Family.RPM, 9, "", "x86_64"), "v1", List.of(), List.of(new Spec("x", "t")),
                List.of(), Set.of(aliases), Set.of(), List.of(), List.of(), null, java.util.Map.of());
    }

    @Test
    void aSmallTypoOrTheSameFamilyPointsAtTheAlias() {
        BuildPlan p = plan("node-bootstrap", "node-package1", "pgsql-utility", "infra-package");
        assertEquals("node-bootstrap", AliasHint.nearest("node-bootstap", p), "one letter off");
        assertEquals("pgsql-utility", AliasHint.nearest("pgsql-utilities", p), "same dash family");
        assertEquals("infra-package", AliasHint.nearest("infra-pkg", p));
        assertNull(AliasHint.nearest("htop", p), "a plain package name is not an alias typo");
        assertNull(AliasHint.nearest("anything", plan()), "no aliases, no hint");
    }

    @Test
    void tiesGoToTheFirstAliasByName() {
        assertEquals("abc-a", AliasHint.nearest("abc-x", plan("abc-b", "abc-a")));
    }
}
