package io.pigsty.offline.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.Set;
import java.util.concurrent.Callable;

/** {@code build iso}: the repo as an ISO9660 (Rock Ridge) disk labelled pigsty-<os>. */
@Command(name = "iso", mixinStandardHelpOptions = true,
        description = "Build the repo and write it as an ISO9660 disk (Rock Ridge, label pigsty-<os>) for DVDs and VM disks.")
final class IsoCommand implements Callable<Integer> {
    @Mixin
    Common common;
    @Mixin
    Outputs.Tree tree;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return Outputs.run(common, tree, null, null, Set.of("iso"), spec.commandLine().getOut(), spec.commandLine().getErr());
    }
}
