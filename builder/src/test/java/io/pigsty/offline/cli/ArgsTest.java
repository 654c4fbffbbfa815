package io.pigsty.offline.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArgsTest {
    private static PlanCommand plan(String... argv) throws Args.Usage {
        PlanCommand p = new PlanCommand();
        assertEquals(Args.Outcome.RUN, p.args().parse(List.of(argv)));
        return p;
    }

    @Test
    void everyFormOfAValueIsTaken() throws Exception {
        PlanCommand p = plan("--os", "el9", "--arch=aarch64", "-i", "a.yml", "-j4", "--mirror", "base=http://m/a http://m/b",
                "-e", "k=v=w", "--extra-vars=x=", "--baseline", "one", "--baseline=two", "-q", "--json", "--");
        assertEquals("el9", p.common.os);
        assertEquals("aarch64", p.common.arch);
        assertEquals(Path.of("a.yml"), p.common.inventory);
        assertEquals(4, p.common.jobs);
        assertEquals("http://m/a http://m/b", p.common.mirrors.get("base"));
        assertEquals("v=w", p.common.vars.get("k")); // split at the first '='
        assertEquals("", p.common.vars.get("x"));
        assertEquals(List.of(Path.of("one"), Path.of("two")), p.common.baselines);
        assertTrue(p.common.quiet && p.json);
        assertFalse(p.explain);
        assertEquals(3, p.common.retries); // defaults stay
        assertNull(p.common.cache);
    }

    @Test
    void mistakesAreNamed() {
        assertEquals("--os is required (TARGET)", assertThrows(Args.Usage.class, () -> plan("-q")).getMessage());
        assertEquals("--os needs a value (TARGET)", assertThrows(Args.Usage.class, () -> plan("--os")).getMessage());
        assertEquals("unknown option '--skip-mising'; did you mean '--skip-missing'?",
                assertThrows(Args.Usage.class, () -> plan("--os", "el9", "--skip-mising")).getMessage());
        assertEquals("unknown option '--zzzzzzzz'", assertThrows(Args.Usage.class, () -> plan("--os", "el9", "--zzzzzzzz")).getMessage());
        assertEquals("--quiet takes no value", assertThrows(Args.Usage.class, () -> plan("--os", "el9", "--quiet=yes")).getMessage());
        assertEquals("--jobs: 'many' is not a whole number", assertThrows(Args.Usage.class, () -> plan("--os", "el9", "-j", "many")).getMessage());
        assertEquals("--mirror: expected KEY=VALUE, got 'base'", assertThrows(Args.Usage.class, () -> plan("--os", "el9", "--mirror", "base"))
                .getMessage());
        assertEquals("unexpected argument 'el9'", assertThrows(Args.Usage.class, () -> plan("--os", "el9", "el9")).getMessage());
        assertEquals("unexpected argument 'x'", assertThrows(Args.Usage.class, () -> plan("--os", "el9", "--", "x")).getMessage());
    }

    @Test
    void helpAndVersionWinOverMistakes() throws Exception {
        assertEquals(Args.Outcome.HELP, new PlanCommand().args().parse(List.of("--nosuch-later-is-fine", "--help")));
        assertEquals(Args.Outcome.HELP, new PlanCommand().args().parse(List.of("-V", "-h")));
        assertEquals(Args.Outcome.VERSION, new PlanCommand().args().parse(List.of("-V")));
    }

    @Test
    void buildOptionsCollectAndCheckTheirKinds() throws Exception {
        BuildCommand b = new BuildCommand("offline", "d", java.util.EnumSet.of(io.pigsty.offline.build.ArtifactKind.TARBALL));
        b.args().parse(List.of("--os", "el9", "--artifacts", "ISO,tarball", "--artifacts=seed", "--sbom", "cyclonedx,spdx", "--base", "a.qcow2",
                "--base", "b.tar", "--level", "6"));
        assertEquals(java.util.EnumSet.of(io.pigsty.offline.build.ArtifactKind.ISO, io.pigsty.offline.build.ArtifactKind.TARBALL,
                io.pigsty.offline.build.ArtifactKind.SEED), b.artifacts);
        assertEquals(List.of("cyclonedx", "spdx"), b.sbom);
        assertEquals(List.of(Path.of("a.qcow2"), Path.of("b.tar")), b.bases);
        assertEquals(6, b.level);
        assertNull(b.threads);
        Args.Usage u = assertThrows(Args.Usage.class, () -> new BuildCommand("iso", "d", java.util.EnumSet.of(
                io.pigsty.offline.build.ArtifactKind.ISO)).args().parse(List.of("--os", "el9", "--artifacts", "tarball,dvd")));
        assertEquals("--artifacts: unknown kind 'dvd'; one of tarball, iso, image, seed, golden", u.getMessage());
    }

    @Test
    void theCommandLineAnswersHelpVersionAndMistakes() {
        StringWriter out = new StringWriter(), err = new StringWriter();
        assertEquals(0, Main.run(new String[] {"plan", "--help"}, new PrintWriter(out, true), new PrintWriter(err, true)));
        assertTrue(out.toString().startsWith("Usage: build plan [OPTIONS]\n"), out.toString());
        for (String o : List.of("--os=TARGET", "-i, --inventory=FILE", "--skip-missing", "--json", "--explain", "-h, --help"))
            assertTrue(out.toString().contains(o), o + " in\n" + out);
        for (String line : out.toString().split("\n")) assertTrue(line.length() <= 100, line);
        out.getBuffer().setLength(0);
        assertEquals(0, Main.run(new String[] {"help", "offline"}, new PrintWriter(out, true), new PrintWriter(err, true)));
        assertTrue(out.toString().contains("--sign-passphrase-file=FILE") && out.toString().contains("--artifacts=KIND"), out.toString());
        out.getBuffer().setLength(0);
        assertEquals(0, Main.run(new String[] {"--version"}, new PrintWriter(out, true), new PrintWriter(err, true)));
        assertTrue(out.toString().startsWith("pigsty-builder "), out.toString());
        assertEquals(2, Main.run(new String[] {"ofline", "--os", "el9"}, new PrintWriter(out, true), new PrintWriter(err, true)));
        assertTrue(err.toString().contains("error: unknown command 'ofline'; did you mean 'offline'?"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, Main.run(new String[0], new PrintWriter(out, true), new PrintWriter(err, true)));
        assertTrue(err.toString().contains("a command is required: offline, plan,") && err.toString().contains("try: build --help"),
                err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, Main.run(new String[] {"seed"}, new PrintWriter(out, true), new PrintWriter(err, true)));
        assertTrue(err.toString().contains("error: --inventory is required (FILE)") && err.toString().contains("try: build seed --help"),
                err.toString());
    }
}
