package io.pigsty.offline.config;

import io.pigsty.offline.model.BuildException;

/** Bad input: names where ({@code file:line}) and says what to do. Exit code 2. */
public class ConfigException extends BuildException {
    public ConfigException(String where, String message) {
        super(CONFIG, where == null || where.isEmpty() ? message : where + ": " + message);
    }

    public ConfigException(String where, String message, Throwable cause) {
        super(CONFIG, where == null || where.isEmpty() ? message : where + ": " + message, cause);
    }
}
