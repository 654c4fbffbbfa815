package io.pigsty.offline.cli;

import io.pigsty.offline.build.Build;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code build keygen}: an OpenPGP key pair to sign bundles with, for users who have none. */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = "Make an OpenPGP key pair (RSA 3072) to sign bundles with: <out>/pigsty-sign.key (secret) and pigsty-sign.asc (public).")
final class KeygenCommand implements Callable<Integer> {
    @Option(names = "--out", description = "Where the keys go (default: <home>/output/keys).")
    Path out;

    @Option(names = "--name", defaultValue = "Pigsty offline bundles", description = "The key's user id (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--passphrase-file", paramLabel = "FILE",
            description = "Lock the secret key with the first line of FILE (default: $PIGSTY_SIGN_PASSPHRASE, else unlocked).")
    Path passphraseFile;

    @Option(names = "--home", description = "Project directory (default: $PIGSTY_BUILDER_HOME or the current directory).")
    Path home;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        Path h = Common.home(home);
        for (String line : new Build(spec.commandLine().getErr(), false, false).keygen(out != null ? out : h.resolve("output/keys"), name,
                passphraseFile)) o.println(line);
        o.flush();
        return 0;
    }
}
