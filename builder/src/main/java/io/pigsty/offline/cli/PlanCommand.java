package io.pigsty.offline.cli;

import io.pigsty.offline.build.Build;

import java.io.PrintWriter;

/** {@code build plan}: resolves and prints the selection without downloading packages. */
final class PlanCommand implements Command {
    static final String DESCRIPTION = "Resolve the package closure and print it (downloads metadata and repo_url_packages, whose headers"
            + " are their metadata; no package from a repo).";

    final Common common = new Common();
    boolean json;
    boolean explain;

    @Override
    public Args args() {
        return common.options(new Args("plan", DESCRIPTION))
                .flag("--json", "Print the machine-readable lock instead of a table.", () -> json = true)
                .flag("--explain", "Also print why each alternative provider was chosen.", () -> explain = true);
    }

    @Override
    public int call(PrintWriter out, PrintWriter err) throws Exception {
        Build.PlanReport r = common.build(err).plan(common.request(null));
        out.print(json ? r.json() : r.table(explain));
        out.flush();
        return 0;
    }

    @Override
    public boolean debug() {
        return common.debug;
    }
}
