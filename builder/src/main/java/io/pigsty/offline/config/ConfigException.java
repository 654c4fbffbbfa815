package io.pigsty.offline.config;

import io.pigsty.offline.model.BuildException;
import io.pigsty.offline.model.ExitCode;

/** Bad input: names where ({@code file:line}) and says what to do. Exit code 2. */
public class ConfigException extends BuildException {
    public ConfigException(String where, String message) {
        super(ExitCode.CONFIG, where == null || where.isEmpty() ? message : where + ": " + message);
    }

    public ConfigException(String where, String message, Throwable cause) {
        super(ExitCode.CONFIG, where == null || where.isEmpty() ? message : where + ": " + message, cause);
    }
}
