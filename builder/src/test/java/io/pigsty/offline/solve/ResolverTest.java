package io.pigsty.offline.solve;

import io.pigsty.offline.format.rpm.RpmDeps;
import io.pigsty.offline.format.rpm.RpmRules;
import io.pigsty.offline.model.Checksum;
import io.pigsty.offline.model.Dep;
import io.pigsty.offline.model.Evr;
import io.pigsty.offline.model.Op;
import io.pigsty.offline.model.Package;
import io.pigsty.offline.model.Repo;
import io.pigsty.offline.model.Req;
import io.pigsty.offline.model.Spec;
import io.pigsty.offline.model.Universe;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The resolver on tables of facts, no I/O. */
class ResolverTest {
    static final Repo BASE = new Repo("base", 99, List.of("http://127.0.0.1/base"));
    static final Repo BETTER = new Repo("better", 10, List.of("http://127.0.0.1/better"));

    /** A package: "name-version.arch", then "P:cap", "R:req", "C:conflict", "O:obsolete", "W:weak", "F:/file". */
    static Package p(String nva, String... facts) {
        return p(BASE, nva, facts);
    }

    static Package p(Repo repo, String nva, String... facts) {
        int dot = nva.lastIndexOf('.');
        String arch = nva.substring(dot + 1), nv = nva.substring(0, dot);
        int dash = nv.lastIndexOf('-');
        String name = nv.substring(0, dash);
        Evr evr = Evr.parse(nv.substring(dash + 1) + "-1");
        List<Dep> prov = new ArrayList<>(List.of(Dep.of(name, Op.EQ, evr))), con = new ArrayList<>(), obs = new ArrayList<>();
        List<Req> req = new ArrayList<>(), weak = new ArrayList<>();
        List<String> files = new ArrayList<>();
        for (String f : facts) {
            String v = f.substring(2);
            switch (f.charAt(0)) {
                case 'P' -> prov.add(dep(v));
                case 'R' -> req.add(v.startsWith("(") ? RpmDeps.rich(v) : Req.atom(dep(v)));
                case 'C' -> con.add(dep(v));
                case 'O' -> obs.add(dep(v));
                case 'W' -> weak.add(Req.atom(dep(v)));
                case 'F' -> files.add(v);
                default -> throw new IllegalArgumentException(f);
            }
        }
        String sum = String.format("%064x", (long) nva.hashCode() & 0xffffffffL);
        return new Package(name, evr, arch, prov, req, con, obs, weak, List.of(), List.of(), files, "Packages/" + nva + ".rpm", 100,
                Checksum.sha256(sum), repo, null);
    }

    static Dep dep(String s) {
        String[] t = s.split(" ");
        if (t.length == 1) return Dep.of(t[0]);
        Op op = switch (t[1]) {
            case "=" -> Op.EQ;
            case ">=" -> Op.GE;
            case "<" -> Op.LT;
            default -> throw new IllegalArgumentException(t[1]);
        };
        return Dep.of(t[0], op, Evr.parse(t[2]));
    }

    static Resolution resolve(List<Package> pkgs, boolean weak, String... specs) {
        Universe u = Universe.of(RpmRules.INSTANCE, "x86_64", pkgs);
        return Resolver.resolve(u, Arrays.stream(specs).map(s -> new Spec(s, "test")).toList(), new Resolver.Options(weak));
    }

    static List<String> nevras(Resolution r) {
        return r.packages().stream().map(x -> x.name() + "-" + x.evr().version() + "." + x.arch()).sorted().collect(Collectors.toList());
    }

    /**
     * File owners laid over a universe (what the file lists add) answer as a universe built with
     * those files from the start: owners in universe order, the old files kept, names unchanged.
     */
    @Test
    void fileOwnersLaidOverAUniverseAnswerAsIfBuiltWithThem() {
        Package a = p("a-1.x86_64", "R:/usr/share/x", "F:/usr/bin/a"), b = p("b-1.x86_64", "F:/usr/share/x"),
                c = p("c-1.x86_64", "P:libc.so"), d = p("d-1.x86_64", "R:/opt/y");
        Universe plain = Universe.of(RpmRules.INSTANCE, "x86_64", List.of(a, b, c, d));
        Universe built = Universe.of(RpmRules.INSTANCE, "x86_64", List.of(a.withFiles(List.of("/usr/bin/a", "/opt/y")), b,
                c.withFiles(List.of("/opt/y")), d));
        Universe laid = plain.withFiles(java.util.Map.of(io.pigsty.offline.model.PackageId.of(a), List.of("/opt/y"),
                io.pigsty.offline.model.PackageId.of(c), List.of("/opt/y")));
        assertEquals(List.of("/opt/y"), plain.unprovidedFileRequirements());
        assertEquals(List.of(), laid.unprovidedFileRequirements());
        for (String path : List.of("/opt/y", "/usr/bin/a", "/usr/share/x", "libc.so", "c", "/nowhere"))
            assertEquals(built.whatProvides(Dep.of(path)), laid.whatProvides(Dep.of(path)), path);
        assertEquals(List.of("a", "c"), laid.whatProvides(Dep.of("/opt/y")).stream().map(Package::name).toList());
        assertEquals(built.packages(), laid.packages());
        assertEquals(built.names(), laid.names());
        assertEquals(built.named("c"), laid.named("c"));
        assertEquals(List.of(), plain.whatProvides(Dep.of("/opt/y")), "the universe laid over is unchanged");
    }

    @Test
    void newestWinsAndClosureIsTransitive() {
        Resolution r = resolve(List.of(p("a-1.0.x86_64", "R:b"), p("a-2.0.x86_64", "R:b"), p("b-1.0.noarch", "R:libc.so.6()(64bit)"),
                p("glibc-2.34.x86_64", "P:libc.so.6()(64bit)"), p("glibc-2.34.i686", "P:libc.so.6")), false, "a");
        assertEquals(List.of("a-2.0.x86_64", "b-1.0.noarch", "glibc-2.34.x86_64"), nevras(r));
        assertTrue(r.problems().isEmpty());
    }

    @Test
    void priorityHidesTheSameNameInWorseRepos() {
        Resolution r = resolve(List.of(p("a-9.0.x86_64"), p(BETTER, "a-1.0.x86_64")), false, "a");
        assertEquals(List.of("a-1.0.x86_64"), nevras(r));
    }

    @Test
    void everyProblemIsReportedWithItsChain() {
        Resolution r = resolve(List.of(p("nginx-1.0.x86_64", "R:nginx-core"), p("nginx-core-1.0.x86_64", "R:libssl.so.3()(64bit)"),
                p("ok-1.0.x86_64")), false, "nginx", "nothere", "ok", "zz*");
        List<String> got = r.problems().stream().map(Resolution.Problem::describe).toList();
        assertEquals(List.of("nginx → nginx-core → libssl.so.3()(64bit): nothing provides it",
                "nothere: no package matches it", "zz*: no package matches it"), got);
        assertTrue(nevras(r).contains("ok-1.0.x86_64"));
    }

    @Test
    void alternativeProviderAvoidsConflictsAndIsExplained() {
        Resolution r = resolve(List.of(p("want-1.0.noarch", "R:mta"), p("aaa-1.0.x86_64", "P:mta", "C:logger"),
                p("postfix-1.0.x86_64", "P:mta"), p("logger-1.0.x86_64")), false, "logger", "want");
        assertTrue(nevras(r).contains("postfix-1.0.x86_64"));
        assertFalse(nevras(r).contains("aaa-1.0.x86_64"));
        Resolution.Choice c = r.choices().get(0);
        assertEquals("postfix", c.chosen());
        assertEquals("the others conflict with packages already chosen", c.why());
    }

    @Test
    void obsoletedCandidatesAreAvoided() {
        Resolution r = resolve(List.of(p("want-1.0.noarch", "R:feature"), p("aold-1.0.x86_64", "P:feature"),
                p("newer-1.0.x86_64", "P:feature", "O:aold < 2.0")), false, "newer", "want");
        assertEquals(List.of("newer-1.0.x86_64", "want-1.0.noarch"), nevras(r));
    }

    @Test
    void withoutOtherPreferencesProvidersAreTakenByNameAsDnfDoes() {
        // Real dnf on the same packages installs a-python for "python3" (probed with dnf 4.14, libsolv's
        // policy): neither the requirement's own name nor a newer version of another name wins.
        Resolution r = resolve(List.of(p("want-1.0.noarch", "R:python3"), p("python3-3.9.x86_64"),
                p("a-python-3.11.x86_64", "P:python3")), false, "want");
        assertTrue(nevras(r).contains("a-python-3.11.x86_64"), nevras(r).toString());
        assertEquals("first by name", r.choices().get(0).why());
    }

    @Test
    void aVersionedRequirementPicksTheOneVersionThatFitsEveryone() {
        // "lib" alone would be lib-2.0; with "old" needing lib = 1.0 the one consistent answer has lib-1.0 (dnf: best=False).
        Resolution r = resolve(List.of(p("lib-1.0.x86_64"), p("lib-2.0.x86_64"), p("old-1.0.x86_64", "R:lib = 1.0-1")),
                false, "lib", "old");
        assertEquals(List.of("lib-1.0.x86_64", "old-1.0.x86_64"), nevras(r));
        assertTrue(r.problems().isEmpty(), r.problems().toString());
    }

    @Test
    void richDependencies() {
        List<Package> u = List.of(p("app-1.0.x86_64", "R:(b or a)", "R:(plug if app)", "R:(never if absent)",
                        "R:(x unless app)", "R:(impl with feature)"),
                p("a-1.0.noarch"), p("b-1.0.noarch"), p("plug-1.0.noarch"), p("x-1.0.noarch"),
                p("impl-1.0.noarch"), p("impl-full-1.0.noarch", "P:impl", "P:feature"));
        Resolution r = resolve(u, false, "app");
        // (b or a): dnf takes a (by name, libsolv's policy; probed with real dnf on the same packages)
        assertEquals(List.of("a-1.0.noarch", "app-1.0.x86_64", "impl-full-1.0.noarch", "plug-1.0.noarch"), nevras(r));
        assertTrue(r.problems().isEmpty(), r.problems().toString());
    }

    @Test
    void conditionalSeesPackagesChosenLater() {
        // (z if y): y only arrives through another spec's closure, processed after app.
        Resolution r = resolve(List.of(p("app-1.0.noarch", "R:(z if y)"), p("other-1.0.noarch", "R:y"), p("y-1.0.noarch"),
                p("z-1.0.noarch")), false, "app", "other");
        assertTrue(nevras(r).contains("z-1.0.noarch"), nevras(r).toString());
    }

    @Test
    void specsByGlobArchCapabilityFileAndNevr() {
        List<Package> u = List.of(p("pg18-1.0.x86_64"), p("pg18-server-1.0.x86_64"), p("pg17-1.0.x86_64"),
                p("lib-1.0.x86_64"), p("lib-1.0.i686", "R:libc.so.6"), p("glibc-2.0.i686", "P:libc.so.6"),
                p("perl-Foo-1.0.noarch", "P:perl(Foo)"), p("py-3.0.x86_64", "F:/usr/bin/python3"),
                p("tool-1.0.x86_64"), p("tool-2.0.x86_64"));
        Resolution r = resolve(u, false, "pg18*", "lib.i686", "perl(Foo)", "/usr/bin/python3", "tool-1.0");
        assertEquals(List.of("glibc-2.0.i686", "lib-1.0.i686", "perl-Foo-1.0.noarch", "pg18-1.0.x86_64",
                "pg18-server-1.0.x86_64", "py-3.0.x86_64", "tool-1.0.x86_64"), nevras(r));
    }

    @Test
    void i686IsNotPulledInUnlessAsked() {
        Resolution r = resolve(List.of(p("a-1.0.x86_64", "R:libx"), p("libx-1.0.i686"), p("libx-1.0.x86_64")), false, "a");
        assertEquals(List.of("a-1.0.x86_64", "libx-1.0.x86_64"), nevras(r));
    }

    @Test
    void weakDependenciesOnlyWhenAskedAndNeverFatal() {
        List<Package> u = List.of(p("a-1.0.x86_64", "W:docs", "W:absent", "W:man"), p("docs-1.0.noarch", "R:gone"),
                p("man-1.0.noarch"));
        assertEquals(List.of("a-1.0.x86_64"), nevras(resolve(u, false, "a")));
        Resolution r = resolve(u, true, "a");
        // docs cannot be installed (it needs what nothing provides) and absent does not exist: both are
        // skipped with a note, as dnf skips them; man is installable and comes along.
        assertEquals(List.of("a-1.0.x86_64", "man-1.0.noarch"), nevras(r));
        assertTrue(r.hardProblems().isEmpty(), r.problems().toString());
        assertEquals(List.of("a → absent: nothing provides it; skipped", "a → docs: no provider fits; skipped"),
                r.problems().stream().map(Resolution.Problem::describe).toList());
    }

    @Test
    void aConflictWithWhatItNeedsIsExplained() {
        // a needs b, b conflicts with a: a can never be installed; the chain names the clash
        Resolution r = resolve(List.of(p("a-1.0.x86_64", "R:b"), p("b-1.0.x86_64", "C:a")), false, "a");
        assertEquals(List.of("a → b: its provider b-1.0-1.x86_64 conflicts with a-1.0-1.x86_64"),
                r.hardProblems().stream().map(Resolution.Problem::describe).toList());
        assertTrue(r.packages().isEmpty());
    }

    @Test
    void aVersionSqueezeBetweenTwoRequestsIsExplained() {
        // new needs lib >= 2, old needs lib < 2: each installs alone, not both; the later one is set aside
        Resolution r = resolve(List.of(p("lib-1.0.x86_64"), p("lib-2.0.x86_64"), p("new-1.0.x86_64", "R:lib >= 2.0"),
                p("old-1.0.x86_64", "R:lib < 2.0")), false, "new", "old");
        assertEquals(List.of("old: needs lib-1.0-1.x86_64 but new needs lib-2.0-1.x86_64 (one lib at a time)"),
                r.hardProblems().stream().map(Resolution.Problem::describe).toList());
        assertEquals(List.of("lib-2.0.x86_64", "new-1.0.x86_64"), nevras(r), "the rest is still resolved");
    }

    @Test
    void aMissingLibraryDeepDownIsOneChain() {
        Resolution r = resolve(List.of(p("app-1.0.x86_64", "R:libmid.so.1"), p("mid-1.0.x86_64", "P:libmid.so.1", "R:libgone.so.3"),
                p("app-2.0.x86_64", "R:libmid.so.1")), false, "app");
        assertEquals(List.of("app → mid → libgone.so.3: nothing provides it"),
                r.hardProblems().stream().map(Resolution.Problem::describe).toList(), "one line for both versions of app");
    }

    @Test
    void aRequirementNothingProvidesIsNamedBeforeADeeperChain() {
        Resolution r = resolve(List.of(p("app-1.0.x86_64", "R:libmid.so.1", "R:libgone.so.3"), p("mid-1.0.x86_64", "P:libmid.so.1",
                "R:libdeep.so.2")), false, "app");
        assertEquals(List.of("app → libgone.so.3: nothing provides it"), r.hardProblems().stream().map(Resolution.Problem::describe).toList(),
                "the shortest true chain, found without a solve, though libmid.so.1 comes first and fails deeper");
    }

    /** What a host has installed: name, version and arch only, as an rpm -qa list gives them. */
    static Package installed(String nva) {
        Package p = p(nva);
        return new Package(p.name(), p.evr(), p.arch(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
                List.of(), "", 0, p.checksum(), Repo.INSTALLED, null);
    }

    @Test
    void onAHostABaseLibraryMovesInLockstepAndOnlyWhatTheHostLacksIsShipped() {
        List<Package> u = List.of(p("glibc-2.0.x86_64"), p("glibc-3.0.x86_64"),
                p("langpack-en-2.0.x86_64", "R:glibc = 2.0-1"), p("langpack-en-3.0.x86_64", "R:glibc = 3.0-1"),
                p("app-1.0.x86_64", "R:glibc >= 3.0"), p("tool-1.0.x86_64", "R:glibc"));
        Resolution empty = resolve(u, false, "app");
        assertEquals(List.of("app-1.0.x86_64", "glibc-3.0.x86_64"), nevras(empty));
        List<Package> host = List.of(installed("glibc-2.0.x86_64"), installed("langpack-en-2.0.x86_64"));
        Resolution onHost = Resolver.resolve(Universe.of(RpmRules.INSTANCE, "x86_64", u), List.of(new Spec("app", "test"), new Spec("tool", "test")),
                new Resolver.Options(false), host);
        // glibc must move for app; the installed langpack needs its own glibc, so it moves with it
        assertEquals(List.of("app-1.0.x86_64", "glibc-3.0.x86_64", "langpack-en-3.0.x86_64", "tool-1.0.x86_64"), nevras(onHost));
        assertEquals(List.of("glibc-2.0-1.x86_64 -> glibc-3.0-1.x86_64", "langpack-en-2.0-1.x86_64 -> langpack-en-3.0-1.x86_64"),
                onHost.upgrades().stream().map(Object::toString).sorted().toList());
        assertTrue(onHost.problems().isEmpty(), onHost.problems().toString());
        // what the host already has is neither upgraded nor shipped when nothing needs it to move
        Resolution toolOnly = Resolver.resolve(Universe.of(RpmRules.INSTANCE, "x86_64", u), List.of(new Spec("tool", "test")),
                new Resolver.Options(false), host);
        assertEquals(List.of("tool-1.0.x86_64"), nevras(toolOnly));
        assertTrue(toolOnly.upgrades().isEmpty(), toolOnly.upgrades().toString());
    }
}
