package io.pigsty.offline.cli;

import io.pigsty.offline.build.ArtifactKind;
import io.pigsty.offline.build.Build;

import java.io.PrintWriter;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Supplier;

/** {@code pigsty-builder}: builds Pigsty offline bundles. Exit codes are those of {@link Build#exitCode}. */
public final class Main {
    private Main() {}

    private static final String VERSION = "pigsty-builder " + Build.VERSION;

    /** A command as help lists it; it is made (its options bound) only when it runs. */
    private record Entry(String name, String description, Supplier<Command> make) {}

    /** The commands, in the order help lists them. */
    private static final List<Entry> COMMANDS = List.of(
            build("offline", EnumSet.of(ArtifactKind.TARBALL),
                    "Resolve, download and verify every package, build the local repo and pack the offline tarball."),
            new Entry("plan", PlanCommand.DESCRIPTION, PlanCommand::new),
            new Entry("seed", SeedCommand.DESCRIPTION, SeedCommand::new),
            new Entry("recipes", RecipesCommand.DESCRIPTION, RecipesCommand::new),
            new Entry("keygen", KeygenCommand.DESCRIPTION, KeygenCommand::new),
            build("image", EnumSet.of(ArtifactKind.IMAGE),
                    "Build the repo and write it as a container image (docker-archive or OCI archive tar), or push it."),
            build("iso", EnumSet.of(ArtifactKind.ISO),
                    "Build the repo and write it as an ISO9660 disk (Rock Ridge, label pigsty-<os>) for DVDs and VM disks."),
            build("golden", EnumSet.of(ArtifactKind.GOLDEN),
                    "Build the repo and make a golden VM image: a cloud image (--base) with the bundle at /www/pigsty, the launcher and"
                            + " its first-boot unit, prepared in a VM under qemu with no network."),
            build("all", EnumSet.allOf(ArtifactKind.class),
                    "Build the repo once and make every artifact from it: tarball, seeds (with -i), image, ISO, and a golden VM image when"
                            + " --base gives a cloud image."));

    private static Entry build(String name, EnumSet<ArtifactKind> artifacts, String description) {
        return new Entry(name, description, () -> new BuildCommand(name, description, artifacts));
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI and returns the exit code (tests call this in-process). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        if (args.length == 0) return usage(err, "", "a command is required: " + names());
        String first = args[0];
        switch (first) {
            case "-h", "--help" -> {
                out.print(help());
                out.flush();
                return 0;
            }
            case "-V", "--version" -> {
                out.println(VERSION);
                return 0;
            }
            case "help" -> {
                if (args.length == 1) {
                    out.print(help());
                } else {
                    Entry e = entry(args[1]);
                    if (e == null) return usage(err, "", unknown(args[1]));
                    out.print(e.make().get().args().help());
                }
                out.flush();
                return 0;
            }
            default -> {
            }
        }
        Entry e = entry(first);
        if (e == null) return usage(err, "", first.startsWith("-") ? "a command is required before options: " + names() : unknown(first));
        Command c = e.make().get();
        Args a = c.args();
        try {
            switch (a.parse(List.of(args).subList(1, args.length))) {
                case HELP -> {
                    out.print(a.help());
                    out.flush();
                    return 0;
                }
                case VERSION -> {
                    out.println(VERSION);
                    return 0;
                }
                default -> {
                }
            }
        } catch (Args.Usage u) {
            return usage(err, e.name() + " ", u.getMessage());
        }
        try {
            return c.call(out, err);
        } catch (Exception ex) {
            err.println("error: " + Build.message(ex));
            if (c.debug()) ex.printStackTrace(err);
            else if (!Build.explained(ex)) err.println("(run with --debug for details)");
            err.flush();
            return Build.exitCode(ex);
        }
    }

    private static int usage(PrintWriter err, String command, String message) {
        err.println("error: " + message);
        err.println("try: build " + command + "--help");
        err.flush();
        return Build.usageError();
    }

    private static Entry entry(String name) {
        for (Entry e : COMMANDS) if (e.name().equals(name)) return e;
        return null;
    }

    private static String unknown(String name) {
        String best = Args.closest(name, COMMANDS.stream().map(Entry::name).toList());
        return "unknown command '" + name + "'" + (best == null ? "" : "; did you mean '" + best + "'?") + " Commands: " + names();
    }

    private static String names() {
        StringBuilder b = new StringBuilder();
        for (Entry e : COMMANDS) b.append(b.length() == 0 ? "" : ", ").append(e.name());
        return b.append(", help").toString();
    }

    private static String help() {
        StringBuilder b = new StringBuilder("Usage: build COMMAND [OPTIONS]\n");
        b.append("Builds offline install bundles for Pigsty from upstream yum/apt repos.\n\nCommands:\n");
        for (Entry e : COMMANDS) {
            b.append("  ").append(e.name()).append(" ".repeat(10 - e.name().length()));
            String text = e.description();
            StringBuilder w = new StringBuilder();
            Args.wrap(w, text, 12, 100);
            b.append(w, 12, w.length());
        }
        b.append("  help      Show a command's help: build help COMMAND (or build COMMAND --help).\n");
        b.append("\nOptions:\n  -h, --help     Show this help and exit.\n  -V, --version  Print the version and exit.\n");
        return b.toString();
    }
}
