package io.pigsty.offline.format.deb;

import io.pigsty.offline.model.Dep;
import io.pigsty.offline.model.Evr;
import io.pigsty.offline.model.Op;
import io.pigsty.offline.model.Req;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DebRulesTest {
    /** Orderings as dpkg --compare-versions gives them. */
    @ParameterizedTest
    @CsvSource({
            "1.0, 1.0, 0", "1.0, 1.1, -1", "1.0-1, 1.0-2, -1", "1:1.0, 2.0, 1", "0:1.0, 1.0, 0", "1.0~rc1, 1.0, -1",
            "1.0~~, 1.0~, -1", "1.0~, 1.0, -1", "1.0, 1.0+b1, -1", "1.0a, 1.0, 1", "1.0a, 1.0+, -1", "1.0.1, 1.0a, 1",
            "2.36-9, 2.36-9+deb12u4, -1", "1.2.3, 1.2.10, -1", "1.01, 1.1, 0", "7.6p2-4, 7.6-0, 1", "1.0-1~bpo1, 1.0-1, -1",
            "3.11.2-1+b1, 3.11.2-1, 1", "2:1.0, 1:9.9, 1", "1.0-0ubuntu1, 1.0-0, 1"
    })
    void compare(String a, String b, int expected) {
        assertEquals(expected, Integer.signum(DebRules.INSTANCE.compare(Evr.parse(a), Evr.parse(b))), a + " vs " + b);
    }

    /** Random versions from the tricky alphabet, each pair judged by the real dpkg. */
    @Test
    void agreesWithDpkgOnRandomVersions() {
        io.pigsty.offline.fixtures.Tools.require("dpkg");
        java.util.Random rnd = new java.util.Random(7);
        String alphabet = "0123456789.~+ab";
        StringBuilder script = new StringBuilder();
        List<String[]> pairs = new java.util.ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String a = randomVersion(rnd, alphabet), b = randomVersion(rnd, alphabet);
            pairs.add(new String[] {a, b});
            script.append("if dpkg --compare-versions '").append(a).append("' lt '").append(b).append("'; then echo -1; elif dpkg --compare-versions '")
                    .append(a).append("' eq '").append(b).append("'; then echo 0; else echo 1; fi\n");
        }
        List<String> dpkg = io.pigsty.offline.fixtures.Tools.run(null, "sh", "-c", script.toString()).ok().out().lines().toList();
        for (int i = 0; i < pairs.size(); i++) {
            String[] p = pairs.get(i);
            int ours = Integer.signum(DebRules.INSTANCE.compare(Evr.parse(p[0]), Evr.parse(p[1])));
            assertEquals(Integer.parseInt(dpkg.get(i)), ours, p[0] + " vs " + p[1]);
        }
    }

    private static String randomVersion(java.util.Random rnd, String alphabet) {
        StringBuilder v = new StringBuilder();
        if (rnd.nextInt(5) == 0) v.append(rnd.nextInt(3)).append(':');
        v.append((char) ('0' + rnd.nextInt(10)));
        for (int i = rnd.nextInt(6); i > 0; i--) v.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
        if (rnd.nextBoolean()) v.append('-').append((char) ('0' + rnd.nextInt(10))).append(rnd.nextBoolean() ? "~b" : "");
        return v.toString();
    }

    @Test
    void unversionedProvidesDoNotMeetVersionedDepends() {
        DebRules r = DebRules.INSTANCE;
        Dep versionedReq = Dep.of("python3-abi", Op.GE, Evr.parse("3.9"));
        assertFalse(r.satisfies(Dep.of("python3-abi"), versionedReq));
        assertTrue(r.satisfies(Dep.of("python3-abi", Op.EQ, Evr.parse("3.11")), versionedReq));
        assertTrue(r.satisfies(Dep.of("python3-abi"), Dep.of("python3-abi")));
    }

    @Test
    void relationshipSyntax() {
        List<Req> r = DebDeps.requirements("libc6 (>= 2.36), python3:any | python3-minimal (<< 3.12~), foo [amd64] <!nocheck>,bar(=1:2-3)");
        assertEquals(4, r.size());
        assertEquals(Req.atom(new Dep("libc6", Op.GE, new Evr(0, "2.36", ""), null)), r.get(0));
        assertEquals(new Req.Any(List.of(Req.atom(new Dep("python3", Op.ANY, Evr.NONE, "any")),
                Req.atom(Dep.of("python3-minimal", Op.LT, new Evr(0, "3.12~", ""))))), r.get(1));
        assertEquals(Req.atom(Dep.of("foo")), r.get(2));
        assertEquals(Req.atom(Dep.of("bar", Op.EQ, new Evr(1, "2", "3"))), r.get(3));
        assertEquals(Op.LE, DebDeps.relation("old (< 1.0)").op()); // the obsolete spelling of <=
        assertEquals(Op.GE, DebDeps.relation("old (> 1.0)").op());
        assertThrows(IllegalArgumentException.class, () -> DebDeps.relation("x (>= )"));
        assertThrows(IllegalArgumentException.class, () -> DebDeps.relation("x (~> 1)"));
    }
}
