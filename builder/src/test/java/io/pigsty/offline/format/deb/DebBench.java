package io.pigsty.offline.format.deb;

import io.pigsty.offline.model.Package;
import io.pigsty.offline.model.Repo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Gives the benchmark the Packages reader the build uses, without the parsed cache in front of it. */
public final class DebBench {
    private DebBench() {}

    public static List<Package> parse(Path file, Repo repo) throws IOException {
        return PackagesFile.read(file, file.getFileName().toString(), repo, "bench").packages();
    }
}
