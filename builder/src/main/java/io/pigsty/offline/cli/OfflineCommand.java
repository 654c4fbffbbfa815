package io.pigsty.offline.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.Set;
import java.util.concurrent.Callable;

/** {@code build offline}: the whole job, from inventory to the offline tarball. */
@Command(name = "offline", mixinStandardHelpOptions = true,
        description = "Resolve, download and verify every package, build the local repo and pack the offline tarball.")
final class OfflineCommand implements Callable<Integer> {
    @Mixin
    Common common;
    @Mixin
    Outputs.Tree tree;
    @Mixin
    Outputs.Pack pack;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return Outputs.run(common, tree, pack, null, Set.of("tarball"), spec.commandLine().getOut(), spec.commandLine().getErr());
    }
}
