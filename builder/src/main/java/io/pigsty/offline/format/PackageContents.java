package io.pigsty.offline.format;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * A package to build, in no family's words: name, version, descriptions, files (absolute target
 * path, source file, mode) and what it needs on the target, which each format spells its own way.
 */
public record PackageContents(String name, String version, String summary, String description, String homepage,
                              String license, String vendor, List<Content> files, Set<Need> needs) {
    public PackageContents {
        files = List.copyOf(files);
        needs = Set.copyOf(needs);
    }

    /** One file of the package. */
    public record Content(String path, Path source, int mode) {}

    /** Runtime needs a format knows how to express. */
    public enum Need {
        /** A headless Java runtime of release 17 or later. */
        JAVA_17_HEADLESS,
        /** A POSIX shell at /bin/sh. */
        SHELL
    }
}
