package io.pigsty.offline.model;

/** The builder's exit codes (0 is success), one per kind of failure a user acts on differently. */
public enum ExitCode {
    FAILED(1), CONFIG(2), UNRESOLVABLE(3), NETWORK(4);

    public final int code;

    ExitCode(int code) {
        this.code = code;
    }
}
