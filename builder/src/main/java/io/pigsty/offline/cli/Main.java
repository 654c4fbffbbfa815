package io.pigsty.offline.cli;

import io.pigsty.offline.model.BuildException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** {@code pigsty-builder}: builds Pigsty offline bundles. Exit codes are those of {@link BuildException}. */
@Command(name = "build", mixinStandardHelpOptions = true, version = "pigsty-builder " + io.pigsty.offline.build.Pipeline.VERSION,
        description = "Builds offline install bundles for Pigsty from upstream yum/apt repos.",
        subcommands = {OfflineCommand.class, PlanCommand.class, SeedCommand.class, ImageCommand.class, IsoCommand.class,
                AllCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required: offline or plan");
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI and returns the exit code (tests call this in-process). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExitCodeExceptionMapper(e -> e instanceof BuildException b ? b.exitCode() : BuildException.FAILED);
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("error: " + ex.getMessage());
            err.println("try: build " + (ex.getCommandLine() == cl ? "" : ex.getCommandLine().getCommandName() + " ") + "--help");
            return BuildException.CONFIG;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            boolean debug = parseResult.subcommand() != null && parseResult.subcommand().hasMatchedOption("--debug");
            if (ex instanceof BuildException b) {
                err.println("error: " + b.getMessage());
                if (debug) ex.printStackTrace(err);
                return b.exitCode();
            }
            err.println("error: " + (ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage()));
            if (debug) ex.printStackTrace(err);
            else err.println("(run with --debug for details)");
            return ex instanceof java.io.IOException ? BuildException.NETWORK : BuildException.FAILED;
        });
        return cl.execute(args);
    }
}
