package io.pigsty.offline.format.rpm;

import io.pigsty.offline.model.Dep;
import io.pigsty.offline.model.Evr;
import io.pigsty.offline.model.Op;
import io.pigsty.offline.model.Req;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RpmDepsTest {
    @Test
    void parsesBooleanOperatorsAndNesting() {
        assertEquals(new Req.Any(List.of(Req.atom(Dep.of("a")), Req.atom(Dep.of("b", Op.GE, new Evr(1, "2.0", "3"))))),
                RpmDeps.rich("(a or b >= 1:2.0-3)"));
        Req r = RpmDeps.rich("(pkgA and (pkgB if pkgC else pkgD))");
        assertEquals(new Req.All(List.of(Req.atom(Dep.of("pkgA")),
                new Req.Cond(Req.atom(Dep.of("pkgB")), Req.atom(Dep.of("pkgC")), Req.atom(Dep.of("pkgD")), false))), r);
        assertEquals(new Req.Cond(Req.atom(Dep.of("x")), Req.atom(Dep.of("y")), null, true), RpmDeps.rich("(x unless y)"));
        assertEquals(new Req.With(List.of(Req.atom(Dep.of("a")), Req.atom(Dep.of("b")))), RpmDeps.rich("(a with b)"));
        assertEquals(new Req.Without(Req.atom(Dep.of("a")), Req.atom(Dep.of("b"))), RpmDeps.rich("(a without b)"));
    }

    @Test
    void keepsParenthesesThatBelongToCapabilityNames() {
        assertEquals(new Req.Any(List.of(Req.atom(Dep.of("perl(Foo::Bar)")), Req.atom(Dep.of("libc.so.6()(64bit)")))),
                RpmDeps.rich("(perl(Foo::Bar) or libc.so.6()(64bit))"));
    }

    @Test
    void rejectsMalformed() {
        assertThrows(IllegalArgumentException.class, () -> RpmDeps.rich("(a or"));
        assertThrows(IllegalArgumentException.class, () -> RpmDeps.rich("(a xor b)"));
        assertThrows(IllegalArgumentException.class, () -> RpmDeps.rich("(a or b))"));
    }

    @Test
    void evrStrings() {
        assertEquals(new Evr(2, "1.0", "3.el9"), Evr.parse("2:1.0-3.el9"));
        assertEquals(new Evr(0, "1.0", ""), Evr.parse("1.0"));
    }
}
