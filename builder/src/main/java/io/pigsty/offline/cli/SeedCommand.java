package io.pigsty.offline.cli;

import io.pigsty.offline.model.Log;
import io.pigsty.offline.config.Node;
import io.pigsty.offline.config.YamlFile;
import io.pigsty.offline.pack.Seeds;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Path h = Common.home(home);
        // Repeated host keys are errors here: two hosts must not share an IP.
        Node inv = YamlFile.load(inventory, inventory.toString(), Log.QUIET, true);
        List<Seeds.Host> hosts = Seeds.hosts(inv);
        Path dir = out != null ? out : h.resolve("output/dist").resolve(Common.defaultVersion(h, inv)).resolve("seed");
        List<Path> isos = Seeds.write(hosts, Files.readAllBytes(inventory), h.resolve("overlays/seed"), dir, Common.sourceDate());
        for (int i = 0; i < hosts.size(); i++)
            spec.commandLine().getOut().println(isos.get(i) + "  " + hosts.get(i).hostname());
        return 0;
    }
}
