package io.pigsty.offline.cli;

import java.io.PrintWriter;

/** One command of the CLI: the options it takes, and what it does with them. */
interface Command {
    /** Its options, each bound to this command's fields. */
    Args args();

    /** Runs it once its options are parsed; the exit code. */
    int call(PrintWriter out, PrintWriter err) throws Exception;

    /** Whether --debug was given: a failure then shows its stack trace. */
    default boolean debug() {
        return false;
    }
}
