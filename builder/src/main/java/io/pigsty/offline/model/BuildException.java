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

    /**
     * A local file could not be written or read (a full disk, a read-only mount, permissions): exit 1
     * with the path and the OS's words, never retried or reported as a network error.
     */
    public static BuildException local(String doing, java.nio.file.Path path, java.io.IOException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) m = f.getReason();
        return new BuildException(ExitCode.FAILED, "cannot " + doing + " " + path + ": " + m
                + (m.contains("No space left on device") ? " (the disk is full: free some space or point the build elsewhere)" : ""), e);
    }

    public ExitCode exitCode() {
        return exitCode;
    }
}
