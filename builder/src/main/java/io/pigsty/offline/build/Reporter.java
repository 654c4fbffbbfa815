package io.pigsty.offline.build;

import io.pigsty.offline.model.Log;
import io.pigsty.offline.model.Secrets;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a build talks to the user (stderr: info lines unless quiet, warnings always, progress) and
 * where its warnings are kept for the manifest.
 */
final class Reporter implements Log {
    private final PrintWriter err;
    private final boolean quiet;
    private final boolean terminal;
    private final List<String> warnings = new ArrayList<>();

    Reporter(PrintWriter err, boolean quiet, boolean terminal) {
        this.err = err;
        this.quiet = quiet;
        this.terminal = terminal;
    }

    @Override
    public void info(String line) {
        if (!quiet) err.println(Secrets.redact(line));
    }

    @Override
    public synchronized void warn(String line) {
        warnings.add(Secrets.redact(line));
        err.println("warning: " + Secrets.redact(line));
    }

    /** The same console without collecting: for warnings about this machine (its cache), not about the bundle. */
    Log plain() {
        return new Log() {
            @Override
            public void info(String line) {
                Reporter.this.info(line);
            }

            @Override
            public void warn(String line) {
                err.println("warning: " + Secrets.redact(line));
            }
        };
    }

    /** A warning for the manifest only, already said in another form. */
    synchronized void note(String line) {
        warnings.add(Secrets.redact(line));
    }

    synchronized List<String> warnings() {
        return List.copyOf(warnings);
    }

    PrintWriter progressOut() {
        return err;
    }

    boolean terminal() {
        return terminal;
    }
}
