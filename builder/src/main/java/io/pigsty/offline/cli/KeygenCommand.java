package io.pigsty.offline.cli;

import io.pigsty.offline.build.Build;

import java.io.PrintWriter;
import java.nio.file.Path;

/** {@code build keygen}: an OpenPGP key pair to sign bundles with, for users who have none. */
final class KeygenCommand implements Command {
    static final String DESCRIPTION = "Make an OpenPGP key pair (RSA 3072) to sign bundles with: <out>/pigsty-sign.key (secret) and"
            + " pigsty-sign.asc (public).";

    Path out;
    String name = "Pigsty offline bundles";
    Path passphraseFile;
    Path home;

    @Override
    public Args args() {
        return new Args("keygen", DESCRIPTION)
                .value("--out", "DIR", "Where the keys go (default: <home>/output/keys).", v -> out = Args.path(v))
                .value("--name", "TEXT", "The key's user id (default: Pigsty offline bundles).", v -> name = v)
                .value("--passphrase-file", "FILE", "Lock the secret key with the first line of FILE (default: $PIGSTY_SIGN_PASSPHRASE, else"
                        + " unlocked).", v -> passphraseFile = Args.path(v))
                .value("--home", "DIR", "Project directory (default: $PIGSTY_BUILDER_HOME or the current directory).", v -> home = Args.path(v));
    }

    @Override
    public int call(PrintWriter o, PrintWriter err) throws Exception {
        Path h = Common.home(home);
        for (String line : new Build(err, false, false).keygen(out != null ? out : h.resolve("output/keys"), name, passphraseFile))
            o.println(line);
        o.flush();
        return 0;
    }
}
