package io.pigsty.offline.format.rpm;

import io.pigsty.offline.model.Dep;
import io.pigsty.offline.model.Evr;
import io.pigsty.offline.model.Op;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RpmRulesTest {
    /** Cases from rpm's own rpmvercmp behaviour (rpm 4.18). */
    @ParameterizedTest
    @CsvSource({
            "1.0, 1.0, 0", "1.0, 2.0, -1", "2.0, 1.0, 1", "2.0.1, 2.0.1, 0", "2.0, 2.0.1, -1", "2.0.1a, 2.0.1a, 0",
            "2.0.1a, 2.0.1, 1", "5.5p1, 5.5p1, 0", "5.5p1, 5.5p2, -1", "5.5p10, 5.5p1, 1", "10xyz, 10.1xyz, -1",
            "xyz10, xyz10, 0", "xyz10, xyz10.1, -1", "xyz.4, xyz.4, 0", "xyz.4, 8, -1", "8, xyz.4, 1", "xyz.4, 2, -1",
            "5.5p2, 5.6p1, -1", "5.6p1, 6.5p1, -1", "6.0.rc1, 6.0, 1", "10b2, 10a1, 1", "1.0aa, 1.0a, 1",
            "10.0001, 10.1, 0", "10.0001, 10.0039, -1", "4.999.9, 5.0, -1", "20101121, 20101122, -1", "2_0, 2_0, 0",
            "2.0, 2_0, 0", "a, a, 0", "a+, a_, 0", "+a, _a, 0", "+_, _+, 0",
            "1.0~rc1, 1.0~rc1, 0", "1.0~rc1, 1.0, -1", "1.0, 1.0~rc1, 1", "1.0~rc1, 1.0~rc2, -1", "1.0~rc1~git123, 1.0~rc1, -1",
            "1.0^, 1.0^, 0", "1.0^, 1.0, 1", "1.0, 1.0^, -1", "1.0^git1, 1.0^git2, -1", "1.0^git1, 1.01, -1",
            "1.0^20160101, 1.0.1, -1", "1.0~rc1^git1, 1.0~rc1, 1", "1.0^git1~pre, 1.0^git1, -1"
    })
    void vercmp(String a, String b, int expected) {
        assertEquals(expected, Integer.signum(RpmRules.vercmp(a, b)), a + " vs " + b);
    }

    /** Random versions from the tricky alphabet, each pair judged by the real rpm (its Lua rpm.vercmp). */
    @Test
    void agreesWithRpmOnRandomVersions() {
        io.pigsty.offline.fixtures.Tools.require("rpm");
        java.util.Random rnd = new java.util.Random(11);
        String alphabet = "0123456789.~^_+ab";
        StringBuilder lua = new StringBuilder("%{lua:");
        java.util.List<String[]> pairs = new java.util.ArrayList<>();
        for (int i = 0; i < 400; i++) {
            String a = random(rnd, alphabet), b = random(rnd, alphabet);
            pairs.add(new String[] {a, b});
            lua.append("print(rpm.vercmp('").append(a).append("','").append(b).append("')) print('\\n') ");
        }
        lua.append("}");
        java.util.List<String> rpm = io.pigsty.offline.fixtures.Tools.run(null, "rpm", "--eval", lua.toString()).ok().out()
                .lines().map(String::trim).filter(l -> !l.isEmpty()).toList();
        assertEquals(pairs.size(), rpm.size(), "rpm printed " + rpm);
        for (int i = 0; i < pairs.size(); i++)
            assertEquals(Integer.parseInt(rpm.get(i)), Integer.signum(RpmRules.vercmp(pairs.get(i)[0], pairs.get(i)[1])),
                    pairs.get(i)[0] + " vs " + pairs.get(i)[1]);
    }

    private static String random(java.util.Random rnd, String alphabet) {
        StringBuilder v = new StringBuilder().append((char) ('0' + rnd.nextInt(10)));
        for (int i = rnd.nextInt(7); i > 0; i--) v.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
        return v.toString();
    }

    @Test
    void epochDominatesAndMissingReleaseMatchesAny() {
        RpmRules r = RpmRules.INSTANCE;
        assertTrue(r.compare(new Evr(1, "1.0", "1"), new Evr(0, "9.9", "1")) > 0);
        assertTrue(r.satisfies(Dep.of("x", Op.EQ, new Evr(0, "1.0", "5")), Dep.of("x", Op.EQ, new Evr(0, "1.0", ""))));
        assertFalse(r.satisfies(Dep.of("x", Op.EQ, new Evr(0, "1.0", "5")), Dep.of("x", Op.EQ, new Evr(0, "1.0", "4"))));
        assertTrue(r.satisfies(Dep.of("x", Op.EQ, new Evr(0, "2.0", "1")), Dep.of("x", Op.GE, new Evr(0, "1.5", ""))));
        assertFalse(r.satisfies(Dep.of("x", Op.EQ, new Evr(0, "1.0", "1")), Dep.of("x", Op.GT, new Evr(0, "1.0", ""))));
        // rpm: an unversioned provide satisfies a versioned requirement
        assertTrue(r.satisfies(Dep.of("x"), Dep.of("x", Op.GE, new Evr(0, "3", ""))));
    }

    @Test
    void archPolicy() {
        RpmRules r = RpmRules.INSTANCE;
        assertTrue(r.defaultArch("noarch", "x86_64"));
        assertFalse(r.defaultArch("i686", "x86_64"));
        assertTrue(r.installableArch("i686", "x86_64"));
        assertFalse(r.installableArch("aarch64", "x86_64"));
        assertFalse(r.installableArch("src", "x86_64"));
        assertFalse(r.installableArch("i686", "aarch64"));
    }
}
