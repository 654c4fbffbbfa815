package io.pigsty.offline.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.Set;
import java.util.concurrent.Callable;

/** {@code build all}: tarball, seeds, image and ISO from one resolved tree, with a summary table. */
@Command(name = "all", mixinStandardHelpOptions = true,
        description = "Build the repo once and make every artifact from it: tarball, seeds (with -i), image, ISO.")
final class AllCommand implements Callable<Integer> {
    @Mixin
    Common common;
    @Mixin
    Outputs.Tree tree;
    @Mixin
    Outputs.Pack pack;
    @Mixin
    Outputs.ImageOut image;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return Outputs.run(common, tree, pack, image, Set.of("tarball", "seed", "image", "iso"), spec.commandLine().getOut(),
                spec.commandLine().getErr());
    }
}
