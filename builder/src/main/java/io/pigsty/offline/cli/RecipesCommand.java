package io.pigsty.offline.cli;

import io.pigsty.offline.build.Build;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code build recipes --from <pigsty tree>}: regenerates recipes/ and repo-spec/ from Pigsty's own files. */
@Command(name = "recipes", mixinStandardHelpOptions = true,
        description = "Regenerate recipes/<os>.yml and repo-spec/<os>.yml from a Pigsty source tree"
                + " (roles/node_id/vars/*.yml, roles/repo/defaults/main.yml).")
final class RecipesCommand implements Callable<Integer> {
    @Option(names = "--from", required = true, paramLabel = "DIR", description = "A Pigsty source tree (a git checkout, or a copy of its roles/).")
    Path from;

    @Option(names = "--source", paramLabel = "TEXT", description = "The Pigsty revision written into each file (default: read from the tree's README).")
    String source;

    @Option(names = "--home", description = "Project directory to write into (default: $PIGSTY_BUILDER_HOME or the current directory).")
    Path home;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        for (String line : new Build(spec.commandLine().getErr(), false, false).recipes(from, source, Common.home(home))) o.println(line);
        o.flush();
        return 0;
    }
}
