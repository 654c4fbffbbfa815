package io.pigsty.offline.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.Set;
import java.util.concurrent.Callable;

/** {@code build image}: the repo as a container image, with no daemon. */
@Command(name = "image", mixinStandardHelpOptions = true,
        description = "Build the repo and write it as a container image (docker-archive or OCI archive tar), or push it.")
final class ImageCommand implements Callable<Integer> {
    @Mixin
    Common common;
    @Mixin
    Outputs.Tree tree;
    @Mixin
    Outputs.ImageOut image;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return Outputs.run(common, tree, null, image, Set.of("image"), spec.commandLine().getOut(), spec.commandLine().getErr());
    }
}
