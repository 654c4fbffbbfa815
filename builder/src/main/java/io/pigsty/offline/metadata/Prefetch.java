package io.pigsty.offline.metadata;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The parsed cache files the last load through a cache used, opened on threads of their own while
 * the build reads its configuration and revalidates the repos' index roots: a load that then asks
 * for the same files (its metadata has not changed) takes them ready. A file is named by the
 * checksum of what it was parsed from, so one that is asked for again holds what is wanted; one
 * that is not is simply dropped.
 */
public final class Prefetch {
    /** The list of the last load's files, kept beside them. */
    static final String RECENT = "parsed-recent";
    /** More would not be one build's repos. */
    private static final int MAX_FILES = 64;
    private static final Prefetch NONE = new Prefetch(Map.of());

    private final Map<Path, FutureTask<PackageCodec.Opened>> opening;

    private Prefetch(Map<Path, FutureTask<PackageCodec.Opened>> opening) {
        this.opening = opening;
    }

    /** Nothing opened ahead. */
    public static Prefetch none() {
        return NONE;
    }

    /** Starts opening the files the last load through {@code meta}'s cache used (none without a cache). */
    public static Prefetch start(MetaSource meta) {
        Path list = meta.derived(RECENT);
        List<String> names;
        try {
            if (list == null || !Files.isRegularFile(list) || Files.size(list) > 64 * 1024) return NONE;
            names = Files.readAllLines(list, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return NONE; // only a head start is lost: the load reads the files itself
        }
        Map<Path, FutureTask<PackageCodec.Opened>> opening = new ConcurrentHashMap<>();
        for (String name : names.subList(0, Math.min(names.size(), MAX_FILES))) {
            // a plain name of a file beside the list, never a path elsewhere
            if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")) continue;
            Path file = list.resolveSibling(name);
            if (!Files.isRegularFile(file)) continue;
            FutureTask<PackageCodec.Opened> task = new FutureTask<>(() -> PackageCodec.open(file, false));
            Thread t = new Thread(task, "prefetch");
            t.setDaemon(true);
            t.start();
            opening.put(file, task);
        }
        return new Prefetch(opening);
    }

    /**
     * {@code file} as opened ahead, once; null when it was not, or opening it failed (the load then
     * reads it itself and tells why).
     */
    PackageCodec.Opened take(Path file) {
        if (opening.isEmpty()) return null;
        FutureTask<PackageCodec.Opened> task = opening.remove(file);
        if (task == null) return null;
        try {
            return task.get();
        } catch (ExecutionException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Keeps {@code used} (the files a load read, in its cache's derived directory) as the list the next {@link #start} opens. */
    static void remember(MetaSource meta, List<Path> used, io.pigsty.offline.model.Log log) throws IOException {
        Path list = meta.derived(RECENT);
        if (list == null) return;
        List<String> names = new ArrayList<>();
        for (Path p : used) if (list.getParent().equals(p.getParent())) names.add(p.getFileName().toString());
        names.sort(null);
        String text = String.join("\n", names) + "\n";
        try {
            if (Files.isRegularFile(list) && Files.readString(list, StandardCharsets.UTF_8).equals(text)) return;
        } catch (IOException e) {
            // rewritten below
        }
        ParsedCache.keep(list, out -> out.write(text.getBytes(StandardCharsets.UTF_8)), "cannot keep the list of parsed caches", log);
    }
}
