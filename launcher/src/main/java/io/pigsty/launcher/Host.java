package io.pigsty.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The machine the launcher works on: a root directory ({@code /}, or another one for tests and
 * image builds, entered with chroot for commands) and how to run commands there with their output
 * appended to a step's log.
 */
record Host(Path root) {
    /** An absolute path on the host, under the root. */
    Path path(String absolute) {
        return root.resolve(absolute.startsWith("/") ? absolute.substring(1) : absolute);
    }

    /** Runs {@code command} (in the root, by chroot when it is not /); returns its exit status. */
    int run(List<String> command, Path log, Path workDir) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (!root.toAbsolutePath().normalize().toString().equals("/")) {
            cmd.add("chroot");
            cmd.add(root.toString());
        }
        cmd.addAll(command);
        Files.createDirectories(log.getParent());
        Files.writeString(log, "$ " + String.join(" ", command) + "\n", java.nio.charset.StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        if (workDir != null) pb.directory(workDir.toFile());
        pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
        Process p = pb.start();
        try {
            p.waitFor(6, TimeUnit.HOURS);
        } catch (InterruptedException e) {
            p.destroy();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        return p.exitValue();
    }
}
