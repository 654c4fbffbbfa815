package io.pigsty.offline.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Removing a directory tree (staging, scratch), and what killed runs left behind, the one copy of
 * each in the builder. Temporary names end in the writer's pid ({@code .x.tmp1234}, {@code .x.staging-1234}).
 */
public final class FileTrees {
    private static final java.util.regex.Pattern PID = java.util.regex.Pattern.compile("(?:tmp|-)(\\d+)$");

    private FileTrees() {}

    /** Whether a temporary name was left by a process that no longer runs (never this one). */
    public static boolean leftByDeadProcess(String name) {
        java.util.regex.Matcher m = PID.matcher(name);
        if (!m.find()) return false;
        long pid;
        try {
            pid = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            return true; // no process has such a pid
        }
        return pid != ProcessHandle.current().pid() && !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Deletes the entries of {@code dir} matching {@code glob} that dead processes left; returns how many. */
    public static int sweep(Path dir, String glob) throws IOException {
        if (!Files.isDirectory(dir)) return 0;
        int n = 0;
        try (java.nio.file.DirectoryStream<Path> ds = Files.newDirectoryStream(dir, glob)) {
            for (Path p : ds) {
                if (!leftByDeadProcess(p.getFileName().toString())) continue;
                delete(p);
                n++;
            }
        }
        return n;
    }

    /** Deletes {@code root} and everything below it; nothing when it does not exist. Links are removed, not followed. */
    public static void delete(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) Files.deleteIfExists(p);
        }
    }
}
