package io.pigsty.offline.model;

/**
 * A failure the user can act on, carrying the exit code the CLI returns: the build failed, a usage
 * or config error, unresolvable dependencies, or a network or integrity error.
 */
public class BuildException extends RuntimeException {
    private final ExitCode exitCode;

    public BuildException(ExitCode exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public BuildException(ExitCode exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public ExitCode exitCode() {
        return exitCode;
    }
}
