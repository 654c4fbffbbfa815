package io.pigsty.offline.build;

import io.pigsty.offline.fetch.Fetcher;
import io.pigsty.offline.fetch.Progress;
import io.pigsty.offline.format.Format;
import io.pigsty.offline.format.IndexSet;
import io.pigsty.offline.metadata.MetadataLoader;
import io.pigsty.offline.model.Checksum;
import io.pigsty.offline.model.Package;
import io.pigsty.offline.model.Repo;
import io.pigsty.offline.repo.RepoTree;
import io.pigsty.offline.solve.Resolution;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The closure in, verified files out: downloads every package from its repo's mirrors into the
 * cache, and the upstream index files whose records the bundle's index will carry.
 */
final class FetchStep {
    /** Every package as it will be shipped with its verified file, and the index with the carried files local. */
    record Fetched(List<RepoTree.Item> items, IndexSet index) {}

    private final Format format;
    private final Resolution resolution;
    private final IndexSet index;
    private final List<LocalStep.Local> locals;
    private final Fetcher fetcher;
    private final Reporter reporter;

    FetchStep(Format format, Resolution resolution, IndexSet index, List<LocalStep.Local> locals, Fetcher fetcher,
              Reporter reporter) {
        this.format = format;
        this.resolution = resolution;
        this.index = index;
        this.locals = locals;
        this.fetcher = fetcher;
        this.reporter = reporter;
    }

    Fetched call() throws IOException {
        Map<Package, LocalStep.Local> local = new HashMap<>();
        for (LocalStep.Local l : locals) local.put(l.pkg(), l);
        List<Fetcher.Job> jobs = new ArrayList<>();
        List<Package> fromRepos = new ArrayList<>();
        long total = 0;
        for (Package p : resolution.packages()) {
            if (local.containsKey(p)) continue;
            fromRepos.add(p);
            jobs.add(new Fetcher.Job(p.repo().name() + ": " + p.fileName(), Fetcher.mirrors(p.repo(), p.location()), p.checksum(),
                    p.size()));
            total += p.size();
        }
        List<Path> files;
        try (Progress progress = new Progress("download", jobs.size(), total, reporter.progressOut(), reporter.terminal(), 10)) {
            files = fetcher.fetchAll(jobs, progress);
        }
        List<RepoTree.Item> items = new ArrayList<>();
        Set<Repo> shippedFrom = new HashSet<>();
        for (int i = 0; i < fromRepos.size(); i++) {
            Package p = fromRepos.get(i);
            Path f = files.get(i);
            String sha = p.checksum().isSha256() ? p.checksum().hex() : Checksum.sha256Of(f);
            items.add(new RepoTree.Item(new Format.Shipped(p, p.fileName(), sha, Files.size(f), null), f));
            shippedFrom.add(p.repo());
        }
        for (LocalStep.Local l : locals) {
            if (!resolution.packages().contains(l.pkg())) continue;
            Package p = l.pkg();
            items.add(new RepoTree.Item(new Format.Shipped(p, p.fileName(), p.checksum().hex(), Files.size(l.file()),
                    l.inspected().record()), l.file()));
        }
        return new Fetched(List.copyOf(items), MetadataLoader.complete(index, format.carriedTypes(), shippedFrom, fetcher));
    }
}
