package io.pigsty.offline.cli;

import io.pigsty.offline.build.ArtifactKind;
import io.pigsty.offline.build.Build;
import picocli.CommandLine.Command;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** {@code pigsty-builder}: builds Pigsty offline bundles. Exit codes are those of {@link Build#exitCode}. */
@Command(name = "build", mixinStandardHelpOptions = true, version = "pigsty-builder " + Build.VERSION,
        description = "Builds offline install bundles for Pigsty from upstream yum/apt repos.")
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "a command is required: " + String.join(", ", spec.commandLine().getSubcommands().keySet()));
    }

    /** The commands, in the order help lists them; {@code help} itself is always there. */
    private static final List<String> COMMANDS = List.of("offline", "plan", "seed", "recipes", "keygen", "image", "iso", "golden", "all");

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI and returns the exit code (tests call this in-process). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        // picocli builds each command's model by reflection from classes the class-data archive cannot
        // hold (they are Java 5 bytecode): a run that names its command registers that one alone.
        String only = args.length > 0 && COMMANDS.contains(args[0]) ? args[0] : null;
        if (only == null || only.equals("offline")) build(cl, "offline", EnumSet.of(ArtifactKind.TARBALL),
                "Resolve, download and verify every package, build the local repo and pack the offline tarball.");
        if (only == null || only.equals("plan")) cl.addSubcommand("plan", new PlanCommand());
        if (only == null || only.equals("seed")) cl.addSubcommand("seed", new SeedCommand());
        if (only == null || only.equals("recipes")) cl.addSubcommand("recipes", new RecipesCommand());
        if (only == null || only.equals("keygen")) cl.addSubcommand("keygen", new KeygenCommand());
        if (only == null || only.equals("image")) build(cl, "image", EnumSet.of(ArtifactKind.IMAGE),
                "Build the repo and write it as a container image (docker-archive or OCI archive tar), or push it.");
        if (only == null || only.equals("iso")) build(cl, "iso", EnumSet.of(ArtifactKind.ISO),
                "Build the repo and write it as an ISO9660 disk (Rock Ridge, label pigsty-<os>) for DVDs and VM disks.");
        if (only == null || only.equals("golden")) build(cl, "golden", EnumSet.of(ArtifactKind.GOLDEN),
                "Build the repo and make a golden VM image: a cloud image (--base) with the bundle at /www/pigsty, the launcher"
                + " and its first-boot unit, prepared in a VM under qemu with no network.");
        if (only == null || only.equals("all")) build(cl, "all", EnumSet.allOf(ArtifactKind.class),
                "Build the repo once and make every artifact from it: tarball, seeds (with -i), image, ISO, and a golden"
                + " VM image when --base gives a cloud image.");
        cl.addSubcommand("help", new CommandLine.HelpCommand());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setOut(out);
        cl.setErr(err);
        cl.setExitCodeExceptionMapper(Build::exitCode);
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("error: " + ex.getMessage());
            err.println("try: build " + (ex.getCommandLine() == cl ? "" : ex.getCommandLine().getCommandName() + " ") + "--help");
            return Build.usageError();
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            boolean debug = parseResult.subcommand() != null && parseResult.subcommand().hasMatchedOption("--debug");
            err.println("error: " + Build.message(ex));
            if (debug) ex.printStackTrace(err);
            else if (!Build.explained(ex)) err.println("(run with --debug for details)");
            return Build.exitCode(ex);
        });
        return cl.execute(args);
    }

    /** Registers the build command under {@code name}, making {@code artifacts} unless --artifacts says otherwise. */
    private static void build(CommandLine cl, String name, Set<ArtifactKind> artifacts, String description) {
        CommandLine sub = new CommandLine(new BuildCommand(artifacts));
        sub.getCommandSpec().usageMessage().description(description);
        cl.addSubcommand(name, sub);
    }
}
