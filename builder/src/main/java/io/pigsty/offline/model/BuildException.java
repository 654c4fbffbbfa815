package io.pigsty.offline.model;

/**
 * A failure the user can act on, carrying the process exit code the CLI returns:
 * 1 build failed, 2 usage or config error, 3 unresolvable dependencies, 4 network or integrity.
 */
public class BuildException extends RuntimeException {
    public static final int FAILED = 1, CONFIG = 2, UNRESOLVABLE = 3, NETWORK = 4;

    private final int exitCode;

    public BuildException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public BuildException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
