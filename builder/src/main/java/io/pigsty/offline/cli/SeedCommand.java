package io.pigsty.offline.cli;

import io.pigsty.offline.build.Build;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code build seed -i pigsty.yml}: one NoCloud seed ISO per inventory host. */
@Command(name = "seed", mixinStandardHelpOptions = true,
        description = "Write a cloud-init NoCloud seed ISO (volume cidata) for every host of a Pigsty inventory.")
final class SeedCommand implements Callable<Integer> {
    @Option(names = {"-i", "--inventory"}, required = true, description = "Pigsty inventory (pigsty.yml).")
    Path inventory;

    @Option(names = "--out", description = "Where the seeds go (default: <home>/output/dist/<version>/seed).")
    Path out;

    @Option(names = "--home", description = "Project directory holding overlays/ (default: $PIGSTY_BUILDER_HOME or the current directory).")
    Path home;

    @Option(names = "--trust", paramLabel = "KEYFILE",
            description = "Put this armored OpenPGP public key at /etc/pigsty/trusted.asc on every host: its first boot then accepts only bundles it signed.")
    Path trust;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        for (String line : new Build(spec.commandLine().getErr(), false, false).seeds(Common.home(home), inventory, out, trust)) o.println(line);
        o.flush();
        return 0;
    }
}
