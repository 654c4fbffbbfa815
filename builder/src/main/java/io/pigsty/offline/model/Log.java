package io.pigsty.offline.model;

/**
 * Where stages report to the user. Warnings are collected for the manifest as well as printed;
 * info lines are plain progress. Implementations must be thread-safe.
 */
public interface Log {
    void info(String line);

    void warn(String line);

    Log QUIET = new Log() {
        @Override
        public void info(String line) {}

        @Override
        public void warn(String line) {}
    };
}
