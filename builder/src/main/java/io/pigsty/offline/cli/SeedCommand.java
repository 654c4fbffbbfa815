package io.pigsty.offline.cli;

import io.pigsty.offline.build.Build;

import java.io.PrintWriter;
import java.nio.file.Path;

/** {@code build seed -i pigsty.yml}: one NoCloud seed ISO per inventory host. */
final class SeedCommand implements Command {
    static final String DESCRIPTION = "Write a cloud-init NoCloud seed ISO (volume cidata) for every host of a Pigsty inventory.";

    Path inventory;
    Path out;
    Path home;
    Path trust;

    @Override
    public Args args() {
        return new Args("seed", DESCRIPTION)
                .required("-i,--inventory", "FILE", "Pigsty inventory (pigsty.yml).", v -> inventory = Args.path(v))
                .value("--out", "DIR", "Where the seeds go (default: <home>/output/dist/<version>/seed).", v -> out = Args.path(v))
                .value("--home", "DIR", "Project directory holding overlays/ (default: $PIGSTY_BUILDER_HOME or the current directory).",
                        v -> home = Args.path(v))
                .value("--trust", "KEYFILE", "Put this armored OpenPGP public key at /etc/pigsty/trusted.asc on every host: its first boot"
                        + " then accepts only bundles it signed.", v -> trust = Args.path(v));
    }

    @Override
    public int call(PrintWriter o, PrintWriter err) throws Exception {
        for (String line : new Build(err, false, false).seeds(Common.home(home), inventory, out, trust)) o.println(line);
        o.flush();
        return 0;
    }
}
