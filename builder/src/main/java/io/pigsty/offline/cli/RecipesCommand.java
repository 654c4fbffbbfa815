package io.pigsty.offline.cli;

import io.pigsty.offline.build.Build;

import java.io.PrintWriter;
import java.nio.file.Path;

/** {@code build recipes --from <pigsty tree>}: regenerates recipes/ and repo-spec/ from Pigsty's own files. */
final class RecipesCommand implements Command {
    static final String DESCRIPTION = "Regenerate recipes/<os>.yml and repo-spec/<os>.yml from a Pigsty source tree"
            + " (roles/node_id/vars/*.yml, roles/repo/defaults/main.yml).";

    Path from;
    String source;
    Path home;

    @Override
    public Args args() {
        return new Args("recipes", DESCRIPTION)
                .required("--from", "DIR", "A Pigsty source tree (a git checkout, or a copy of its roles/).", v -> from = Args.path(v))
                .value("--source", "TEXT", "The Pigsty revision written into each file (default: read from the tree's README).", v -> source = v)
                .value("--home", "DIR", "Project directory to write into (default: $PIGSTY_BUILDER_HOME or the current directory).",
                        v -> home = Args.path(v));
    }

    @Override
    public int call(PrintWriter o, PrintWriter err) throws Exception {
        for (String line : new Build(err, false, false).recipes(from, source, Common.home(home))) o.println(line);
        o.flush();
        return 0;
    }
}
