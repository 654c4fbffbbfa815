package io.pigsty.offline.model;

/** The builder's exit codes, one per kind of failure a user acts on differently. */
public enum ExitCode {
    OK(0), FAILED(1), CONFIG(2), UNRESOLVABLE(3), NETWORK(4);

    public final int code;

    ExitCode(int code) {
        this.code = code;
    }
}
