package io.pigsty.offline.cli;

import io.pigsty.offline.build.Pipeline;
import io.pigsty.offline.fetch.Cache;
import io.pigsty.offline.fetch.Fetcher;
import io.pigsty.offline.fetch.Progress;
import io.pigsty.offline.model.Package;
import io.pigsty.offline.solve.Resolution;
import io.pigsty.offline.repo.Manifest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code build plan}: resolves and prints the selection without downloading packages. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Resolve the package closure and print it (downloads metadata only).")
final class PlanCommand implements Callable<Integer> {
    @Mixin
    Common common;

    @Option(names = "--json", description = "Print the machine-readable lock instead of a table.")
    boolean json;

    @Option(names = "--explain", description = "Also print why each alternative provider was chosen.")
    boolean explain;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        Pipeline pipeline = new Pipeline(common.log(err), err, System.console() != null);
        Pipeline.Options o = common.options();
        try (Fetcher fetcher = new Fetcher(new Cache(o.cache()), o.fetch(), common.log(err))) {
            Pipeline.Resolved r = pipeline.resolve(o, fetcher);
            Resolution res = r.resolution();
            if (json) {
                out.print(Manifest.lock(r.plan(), res, r.warnings()));
                out.flush();
                return 0;
            }
            long total = 0;
            out.printf("%-40s %-28s %-8s %-16s %10s%n", "PACKAGE", "VERSION", "ARCH", "REPO", "SIZE");
            for (Resolution.Pick pick : res.picks()) {
                Package p = pick.pkg();
                total += p.size();
                out.printf("%-40s %-28s %-8s %-16s %10s%n", p.name(), p.evr(), p.arch(), p.repo().name(), Progress.size(p.size()));
            }
            out.printf("%d packages, %s to download for %s%n", res.picks().size(), Progress.size(total), r.plan().bundleName());
            if (explain) for (Resolution.Choice c : res.choices()) out.println("choice: " + c);
            for (Resolution.Problem p : res.problems()) out.println("missing: " + p.describe());
            out.flush();
            return 0;
        }
    }
}
