package io.pigsty.offline.build;

import io.pigsty.offline.fetch.Fetcher;
import io.pigsty.offline.format.Format;
import io.pigsty.offline.model.BuildException;
import io.pigsty.offline.model.Checksum;
import io.pigsty.offline.model.ExitCode;
import io.pigsty.offline.model.Package;
import io.pigsty.offline.model.Repo;
import io.pigsty.offline.model.Spec;
import io.pigsty.offline.plan.BuildPlan;
import io.pigsty.offline.plan.UrlPackage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The packages that come from no repo: {@code repo_url_packages} (downloaded: their headers are
 * their metadata, so even a plan fetches them) and the pigsty-launcher package (built here). They
 * join the universe with the best priority, so their own dependencies are resolved too.
 */
final class LocalStep {
    /** A package file from elsewhere, verified and in the cache, the spec that asks for it, and whether it was made here. */
    record Local(Format.Inspected inspected, Path file, Spec spec, boolean madeHere) {
        Package pkg() {
            return inspected.pkg();
        }
    }

    private static final Repo LOCAL = new Repo("local", 0, List.of("file:///"));

    private final BuildPlan plan;
    private final Path home;
    private final boolean launcher;
    private final long mtime;
    private final Fetcher fetcher;

    LocalStep(BuildPlan plan, Path home, boolean launcher, long mtime, Fetcher fetcher) {
        this.plan = plan;
        this.home = home;
        this.launcher = launcher;
        this.mtime = mtime;
        this.fetcher = fetcher;
    }

    List<Local> call() throws IOException {
        Format format = plan.target().format();
        List<Local> out = new ArrayList<>();
        for (UrlPackage u : plan.urlPackages()) {
            Path file = fetcher.fetchUnknown("url package " + u.name() + " (" + u.where() + ")", u.url());
            String sha = Checksum.sha256Of(file);
            if (u.sha256() != null && !u.sha256().equals(sha))
                throw new BuildException(ExitCode.NETWORK, u.where() + ": " + u.url() + " has sha256 " + sha
                        + ", but the inventory expects " + u.sha256());
            Format.Inspected in = format.inspect(file, u.name(), Checksum.sha256(sha), LOCAL);
            out.add(new Local(in, file, new Spec(in.pkg().name(), u.where() + " (repo_url_packages)"), false));
        }
        if (launcher) {
            Path built = LauncherPackage.build(format, Build.VERSION, home.resolve("overlays/launcher"),
                    fetcher.cache().work("launcher"), mtime);
            Checksum sha = Checksum.sha256(Checksum.sha256Of(built));
            Path blob = fetcher.cache().store(built, sha);
            Format.Inspected in = format.inspect(blob, built.getFileName().toString(), sha, LOCAL);
            out.add(new Local(in, blob, new Spec(in.pkg().name(), "the first-boot launcher (--no-launcher leaves it out)"), true));
        }
        return List.copyOf(out);
    }
}
