package io.pigsty.offline.cli;

import io.pigsty.offline.build.Build;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code build plan}: resolves and prints the selection without downloading packages. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Resolve the package closure and print it (downloads metadata and repo_url_packages, whose headers are their metadata; no package from a repo).")
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
        PrintWriter out = spec.commandLine().getOut();
        Build.PlanReport r = common.build(spec.commandLine().getErr()).plan(common.request(null));
        out.print(json ? r.json() : r.table(explain));
        out.flush();
        return 0;
    }
}
