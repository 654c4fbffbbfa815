package io.pigsty.offline.build;

import io.pigsty.offline.fetch.Fetcher;
import io.pigsty.offline.fetch.Progress;
import io.pigsty.offline.format.Format;
import io.pigsty.offline.model.Checksum;
import io.pigsty.offline.model.Package;
import io.pigsty.offline.repo.RepoTree;
import io.pigsty.offline.solve.Resolution;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The closure in, verified files out: downloads every package from its repo's mirrors into the cache. */
final class FetchStep {
    private final Resolution resolution;
    private final List<LocalStep.Local> locals;
    private final Fetcher fetcher;
    private final Reporter reporter;

    FetchStep(Resolution resolution, List<LocalStep.Local> locals, Fetcher fetcher, Reporter reporter) {
        this.resolution = resolution;
        this.locals = locals;
        this.fetcher = fetcher;
        this.reporter = reporter;
    }

    /** Every package of the closure as it will be shipped, with its verified file in the cache. */
    List<RepoTree.Item> call() throws IOException {
        Map<Package, LocalStep.Local> local = new HashMap<>();
        for (LocalStep.Local l : locals) local.put(l.pkg(), l);
        List<Fetcher.Job> jobs = new ArrayList<>();
        List<Package> fromRepos = new ArrayList<>();
        long total = 0;
        for (Package p : resolution.packages()) {
            if (local.containsKey(p)) continue;
            fromRepos.add(p);
            List<String> urls = new ArrayList<>();
            for (String base : p.repo().baseUrls()) urls.add(Fetcher.join(base, p.location()));
            jobs.add(new Fetcher.Job(p.repo().name() + ": " + p.fileName(), urls, p.checksum(), p.size()));
            total += p.size();
        }
        List<Path> files;
        try (Progress progress = new Progress("download", jobs.size(), total, reporter.progressOut(), reporter.terminal(), 10)) {
            files = fetcher.fetchAll(jobs, progress);
        }
        List<RepoTree.Item> items = new ArrayList<>();
        for (int i = 0; i < fromRepos.size(); i++) {
            Package p = fromRepos.get(i);
            Path f = files.get(i);
            String sha = p.checksum().isSha256() ? p.checksum().hex() : Checksum.sha256Of(f);
            items.add(new RepoTree.Item(new Format.Shipped(p, p.fileName(), sha, Files.size(f), null), f));
        }
        for (LocalStep.Local l : locals) {
            if (!resolution.packages().contains(l.pkg())) continue;
            Package p = l.pkg();
            items.add(new RepoTree.Item(new Format.Shipped(p, p.fileName(), p.checksum().hex(), Files.size(l.file()),
                    l.inspected().record()), l.file()));
        }
        return List.copyOf(items);
    }
}
