package io.pigsty.offline.repo;

import io.pigsty.bundle.Family;
import io.pigsty.offline.fixtures.Tools;
import io.pigsty.offline.model.Checksum;
import io.pigsty.offline.model.Evr;
import io.pigsty.offline.model.Package;
import io.pigsty.offline.model.Repo;
import io.pigsty.offline.model.Spec;
import io.pigsty.offline.plan.BuildPlan;
import io.pigsty.offline.plan.PlannedRepo;
import io.pigsty.offline.plan.Target;
import io.pigsty.offline.solve.Resolution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The lock writer on its own: JSON that python's own parser reads back to the same facts, in a fixed order. */
class LockTest {
    @TempDir
    Path tmp;

    @Test
    void theLockIsValidJsonWithEveryPickAndProblem() throws Exception {
        Tools.require("python3");
        Repo repo = new Repo("base", 10, List.of("http://127.0.0.1:1/base/"));
        PlannedRepo.YumRepo planned = new PlannedRepo.YumRepo("base", "node", repo.baseUrls(), 10, List.of("foo*"), false, false, List.of());
        BuildPlan plan = new BuildPlan(new Target("el9", Family.RPM, 9, "", "x86_64"), "v4.3.0", List.of(planned),
                List.of(new Spec("tmux", "recipes/el9.yml:5")), List.of(), Set.of(), Set.of("tmux"), List.of("tmux"), List.of(), null, java.util.Map.of());
        Package tmux = new Package("tmux", Evr.parse("1:3.2a-5.el9"), "x86_64", List.of(), List.of(), List.of(), List.of(),
                List.of(), List.of(), List.of(), List.of(), "Packages/t/tmux-3.2a-5.el9.x86_64.rpm", 480000, Checksum.sha256("ab".repeat(32)), repo, null);
        Resolution res = new Resolution(List.of(new Resolution.Pick(tmux, "requested: tmux")),
                List.of(new Resolution.Problem(new Spec("nope", "cli"), List.of("nope"), "no package matches", false)), List.of(), List.of());
        java.util.Map<String, String> inputs = java.util.Map.of("inventory", "cd".repeat(32));
        String json = Lock.write(plan, res, 2, List.of(), List.of("a warning with a \\ backslash and a\nnewline"), inputs, 1700000000L);
        assertEquals(json, Lock.write(plan, res, 2, List.of(), List.of("a warning with a \\ backslash and a\nnewline"), inputs, 1700000000L),
                "deterministic");
        // read back as a lock build reads it
        Lock.Locked back = Lock.read(json, "lock.json");
        assertEquals(inputs, back.inputs());
        assertEquals(1700000000L, back.mtime());
        assertEquals(List.of(new Lock.Entry("tmux", "1:3.2a-5.el9", "x86_64", "base", "Packages/t/tmux-3.2a-5.el9.x86_64.rpm",
                "ab".repeat(32), 480000, "requested: tmux", false)), back.packages());
        Path f = tmp.resolve("lock.json");
        Files.writeString(f, json);
        String facts = Tools.run(tmp, "python3", "-c", """
                import json, sys
                d = json.load(open(sys.argv[1]))
                p = d['packages'][0]
                assert d['inputs']['inventory'] == 'cd' * 32 and d['mtime'] == 1700000000
                print(d['name'], d['target']['family'], d['repos'][0]['excludes'][0], d['repos'][0]['urls'][0], p['name'], p['epoch'], p['version'], p['release'], p['sha256'][:4],
                      d['missing'][0]['spec'], d['warnings'][0].count(chr(10)), d['dropped_records'], sep='|')
                """, f.toString()).ok().out().trim();
        assertEquals("pigsty-pkg-v4.3.0.el9.x86_64|rpm|foo*|http://127.0.0.1:1/base/|tmux|1|3.2a|5.el9|abab|nope|1|2", facts);
    }
}
