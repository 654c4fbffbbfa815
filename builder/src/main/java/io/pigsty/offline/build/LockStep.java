package io.pigsty.offline.build;

import io.pigsty.offline.fetch.Fetcher;
import io.pigsty.offline.fetch.Progress;
import io.pigsty.offline.format.Format;
import io.pigsty.offline.model.BuildException;
import io.pigsty.offline.model.Checksum;
import io.pigsty.offline.model.ExitCode;
import io.pigsty.offline.model.Repo;
import io.pigsty.offline.plan.BuildPlan;
import io.pigsty.offline.plan.PlannedRepo;
import io.pigsty.offline.repo.Lock;
import io.pigsty.offline.repo.RepoTree;
import io.pigsty.offline.solve.Resolution;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A lock in, verified files out, with no metadata and no solve: every locked package fetched by its
 * sha256 (the cache first, then the repo's mirrors) and read for its own record, so the index is
 * written from the packages themselves and the tree is the same on any machine and any day.
 */
final class LockStep {
    /** The locked selection as the rest of the build takes it, and its files. */
    record Built(Resolution resolution, List<RepoTree.Item> items) {}

    private final BuildPlan plan;
    private final Lock.Locked lock;
    private final List<LocalStep.Local> locals;
    private final Fetcher fetcher;
    private final boolean emptyRoot;
    private final Reporter reporter;

    /** {@code emptyRoot}: the bundle installs onto an empty root, so its packages must install together alone. */
    LockStep(BuildPlan plan, Lock.Locked lock, List<LocalStep.Local> locals, Fetcher fetcher, boolean emptyRoot, Reporter reporter) {
        this.plan = plan;
        this.lock = lock;
        this.locals = locals;
        this.fetcher = fetcher;
        this.emptyRoot = emptyRoot;
        this.reporter = reporter;
    }

    Built call() throws IOException {
        Format format = plan.target().format();
        Map<String, Repo> repos = new HashMap<>();
        for (PlannedRepo r : plan.repos()) repos.put(r.name(), r.source().repo());
        Map<String, LocalStep.Local> local = new HashMap<>();
        for (LocalStep.Local l : locals) local.put(l.pkg().name() + "." + l.pkg().arch(), l);
        List<Fetcher.Job> jobs = new ArrayList<>();
        List<Lock.Entry> fromRepos = new ArrayList<>();
        List<Resolution.Pick> picks = new ArrayList<>();
        List<RepoTree.Item> items = new ArrayList<>();
        long total = 0;
        for (Lock.Entry e : lock.packages()) {
            Repo repo = repos.get(e.repo());
            if (repo == null) {
                LocalStep.Local l = local.get(e.name() + "." + e.arch());
                if (l == null || !l.pkg().checksum().hex().equals(e.sha256()))
                    throw new BuildException(ExitCode.NETWORK, e.name() + " " + e.version() + " (" + e.repo() + ", sha256 " + e.sha256()
                            + ") is locked but no repo of this build and no package made here is it");
                picks.add(new Resolution.Pick(l.pkg(), e.reason(), e.lookupOnly()));
                items.add(new RepoTree.Item(new Format.Shipped(l.pkg(), l.pkg().fileName(), e.sha256(), Files.size(l.file()),
                        l.inspected().record()), l.file()));
                continue;
            }
            fromRepos.add(e);
            jobs.add(new Fetcher.Job(e.repo() + ": " + e.name() + " " + e.version(), Fetcher.mirrors(repo, e.location()),
                    Checksum.sha256(e.sha256()), e.size()));
            total += e.size();
        }
        List<Path> files;
        try (Progress progress = new Progress("download", jobs.size(), total, reporter.progressOut(), reporter.terminal(), 10)) {
            files = fetcher.fetchAll(jobs, progress);
        } catch (BuildException x) {
            if (x.exitCode() != ExitCode.NETWORK) throw x;
            throw new BuildException(ExitCode.NETWORK, "upstream no longer serves what the lock names (and the cache does not hold it):\n"
                    + x.getMessage());
        }
        for (int i = 0; i < fromRepos.size(); i++) {
            Lock.Entry e = fromRepos.get(i);
            String fileName = e.location().substring(e.location().lastIndexOf('/') + 1);
            Format.Inspected in = format.inspect(files.get(i), fileName, Checksum.sha256(e.sha256()), repos.get(e.repo()));
            if (!in.pkg().name().equals(e.name()) || !in.pkg().arch().equals(e.arch()))
                throw new BuildException(ExitCode.NETWORK, e.location() + " holds " + in.pkg().nevra() + ", not the locked " + e.name());
            io.pigsty.offline.model.Package pkg = in.pkg().at(e.location()); // the manifest says where upstream keeps it
            picks.add(new Resolution.Pick(pkg, e.reason(), e.lookupOnly()));
            items.add(new RepoTree.Item(new Format.Shipped(pkg, fileName, e.sha256(), Files.size(files.get(i)), in.record()),
                    files.get(i)));
        }
        // a lock edited by hand (a package left out) is caught as a solve's answer would be
        List<String> wrong = !emptyRoot ? List.of() : io.pigsty.offline.solve.Verifier.check(format.rules(),
                format.nativeArch(plan.target().arch()), picks.stream().filter(k -> !k.lookupOnly()).map(Resolution.Pick::pkg).toList());
        if (!wrong.isEmpty())
            throw new BuildException(ExitCode.UNRESOLVABLE, "the locked packages do not install together (was the lock edited?):\n  "
                    + String.join("\n  ", wrong.subList(0, Math.min(20, wrong.size()))) + "\nmake a new lock with plan --json");
        picks.sort(java.util.Comparator.comparing((Resolution.Pick k) -> k.pkg().name()).thenComparing(k -> k.pkg().arch()));
        reporter.info("lock: " + items.size() + " packages, none resolved again");
        return new Built(new Resolution(picks, List.of(), List.of(), List.of()), List.copyOf(items));
    }
}
