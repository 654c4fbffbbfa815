package io.pigsty.offline.build;

import io.pigsty.offline.config.ConfigException;
import io.pigsty.offline.format.Format;
import io.pigsty.offline.format.IndexSet;
import io.pigsty.offline.metadata.MetaSource;
import io.pigsty.offline.metadata.Metadata;
import io.pigsty.offline.metadata.FileOwners;
import io.pigsty.offline.model.BuildException;
import io.pigsty.offline.model.ExitCode;
import io.pigsty.offline.model.Package;
import io.pigsty.offline.model.Spec;
import io.pigsty.offline.model.Universe;
import io.pigsty.offline.plan.AliasHint;
import io.pigsty.offline.plan.BuildPlan;
import io.pigsty.offline.repo.Manifest;
import io.pigsty.offline.solve.Resolution;
import io.pigsty.offline.solve.Resolver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * Metadata and local packages in, the closure out: resolves the whole request, reads file lists
 * when a file requirement needs them, and turns what cannot be resolved into an error (or, with
 * --skip-missing, into warnings).
 */
final class ResolveStep {
    /**
     * The closure (for an empty root and every baseline together), the index set as it now stands
     * (with file lists when they were read), and what each baseline came to.
     */
    record Resolved(Resolution resolution, IndexSet index, List<Manifest.Baseline> baselines) {}

    private final BuildPlan plan;
    private final Metadata metadata;
    private final List<LocalStep.Local> locals;
    private final boolean weakDeps;
    private final boolean skipMissing;
    private final MetaSource source;
    private final Request.Hosts hosts;
    private final boolean firstBoot;
    private final Reporter reporter;

    ResolveStep(BuildPlan plan, Metadata metadata, List<LocalStep.Local> locals, boolean weakDeps, boolean skipMissing,
                Request.Hosts hosts, boolean firstBoot, MetaSource source, Reporter reporter) {
        this.plan = plan;
        this.metadata = metadata;
        this.locals = locals;
        this.weakDeps = weakDeps;
        this.skipMissing = skipMissing;
        this.source = source;
        this.hosts = hosts;
        this.firstBoot = firstBoot;
        this.reporter = reporter;
    }

    Resolved call() throws IOException {
        Format format = plan.target().format();
        List<Spec> specs = new ArrayList<>(plan.specs());
        if (firstBoot) specs.addAll(plan.firstBoot());
        List<Package> own = new ArrayList<>();
        for (LocalStep.Local l : locals) {
            own.add(l.pkg());
            specs.add(l.spec());
        }
        Universe universe = metadata.universe().with(own);
        IndexSet index = metadata.index();
        Resolver.Options ro = new Resolver.Options(weakDeps);
        // File paths some package requires but no primary record supplies are looked up in the file
        // lists before the one solve, as dnf has them (few paths, and their owners are cached per
        // file-list checksum): solving first and again after would double a large request's time.
        List<String> paths = format.fileListTypes().isEmpty() ? List.of() : universe.unprovidedFileRequirements();
        if (!paths.isEmpty()) {
            reporter.info("file requirements not in primary metadata: reading file lists for " + paths.size() + " paths");
            FileOwners.Found found = FileOwners.find(format, paths, index, new HashSet<>(
                    plan.repos().stream().map(r -> r.source().repo()).toList()), source, reporter);
            index = found.index();
            universe = universe.withFiles(found.owners());
        }
        Resolution res = Resolver.resolve(universe, specs, ro);
        checkAliases(res);
        List<Manifest.Baseline> reports = new ArrayList<>();
        Resolution all = hosts.emptyRoot() ? res : null;
        for (Path b : hosts.baselines()) {
            List<Package> host = baseline(format, b);
            Resolution onHost = Resolver.resolve(universe, specs, ro, host);
            String name = b.getFileName().toString();
            reports.add(new Manifest.Baseline(name, host.size(), onHost.hardProblems().isEmpty(), onHost.packages().size(),
                    onHost.upgrades().stream().map(Resolution.Upgrade::toString).toList()));
            reporter.info("baseline " + name + ": " + host.size() + " packages installed; the request "
                    + (onHost.hardProblems().isEmpty() ? "installs with " + onHost.packages().size() + " packages, "
                    + onHost.upgrades().size() + " upgrades" : "cannot be installed there"));
            all = merge(all, onHost, name);
        }
        res = all;
        res.notes().forEach(reporter::info);
        for (Resolution.Problem p : res.problems())
            if (p.weak()) reporter.note("weak dependency skipped: " + p.describe());
        List<Resolution.Problem> hard = res.hardProblems();
        if (!hard.isEmpty()) {
            StringBuilder b = new StringBuilder(hard.size() + " unresolvable:\n");
            for (Resolution.Problem p : hard)
                b.append("  ").append(p.describe()).append(p.spec() == null ? "" : "   [" + p.spec().origin() + "]").append('\n');
            if (!skipMissing)
                throw new BuildException(ExitCode.UNRESOLVABLE, b + "fix the package lists or repos, or pass --skip-missing to build without them");
            reporter.plain().warn(b.toString().trim());
            for (Resolution.Problem p : hard) reporter.note("missing: " + p.describe());
        }
        return new Resolved(res, index, reports);
    }

    /**
     * What a baseline file says is installed: a previous bundle's manifest.json (its packages), else
     * the family's own list (an rpm -qa list, a dpkg status file).
     */
    private static List<Package> baseline(Format format, Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException("--baseline " + file, "cannot read it (" + e.getMessage() + ")");
        }
        try {
            if (text.stripLeading().startsWith("{")) return Manifest.installed(text, file.toString());
            return format.installed(text, file.toString());
        } catch (IOException | RuntimeException e) {
            throw new ConfigException("--baseline " + file, e.getMessage());
        }
    }

    /**
     * The bundle serves every host: the union of the packages, with each baseline's problems named.
     * {@code all} is null before the first host.
     */
    private static Resolution merge(Resolution all, Resolution onHost, String baseline) {
        if (all == null) all = new Resolution(List.of(), List.of(), onHost.choices(), onHost.notes(), onHost.upgrades());
        List<Resolution.Pick> picks = new ArrayList<>(all.picks());
        java.util.Set<Package> have = new java.util.HashSet<>(all.packages());
        for (Resolution.Pick k : onHost.picks())
            if (have.add(k.pkg())) picks.add(new Resolution.Pick(k.pkg(), "on baseline " + baseline + ": " + k.reason(), k.lookupOnly()));
        List<Resolution.Problem> problems = new ArrayList<>(all.problems());
        for (Resolution.Problem p : onHost.problems()) {
            List<String> chain = new ArrayList<>(p.chain());
            problems.add(new Resolution.Problem(p.spec(), chain, p.what() + " (on baseline " + baseline + ")", p.weak()));
        }
        picks.sort(java.util.Comparator.comparing((Resolution.Pick k) -> k.pkg().name()).thenComparing(k -> k.pkg().arch())
                .thenComparing(k -> k.pkg().evr().toString()));
        return new Resolution(picks, problems, all.choices(), all.notes(), all.upgrades());
    }

    /**
     * A word written straight into repo_packages that matches no package and looks like a
     * package_map alias is a config error, not a missing package: report it with the alias it meant.
     */
    private void checkAliases(Resolution res) {
        List<String> errors = new ArrayList<>();
        for (Resolution.Problem p : res.problems()) {
            if (p.spec() == null || p.chain().size() != 1 || !plan.topLevelWords().contains(p.spec().text())) continue;
            String word = p.spec().text();
            String near = AliasHint.nearest(word, plan);
            if (near != null)
                errors.add(p.spec().origin() + ": '" + word + "' is not a package_map alias and no package has that name;"
                        + " did you mean '" + near + "'?");
        }
        if (!errors.isEmpty()) throw new ConfigException("", String.join("\n", errors)
                + "\n(aliases are the keys of package_map in the recipe or inventory)");
    }
}
