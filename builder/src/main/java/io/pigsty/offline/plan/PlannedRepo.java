package io.pigsty.offline.plan;

import io.pigsty.offline.format.Format;
import io.pigsty.offline.model.Repo;

import java.nio.file.Path;
import java.util.List;

/**
 * An upstream repo selected for the build, its variables expanded: mirror URLs in the order to try,
 * and the policies the resolver applies.
 */
public sealed interface PlannedRepo {
    String name();

    String module();

    List<String> urls();

    int priority();

    List<String> excludes();

    boolean skipIfUnavailable();

    /** What a format's reader needs to know of this repo. */
    Format.Source source();

    /**
     * A yum repo; {@code moduleHotfixes} exempts it from module stream filtering; {@code gpgkeys} are
     * the keys its RPMs' own signatures are checked with (none: not checked).
     */
    record YumRepo(String name, String module, List<String> urls, int priority, List<String> excludes,
                   boolean moduleHotfixes, boolean skipIfUnavailable, List<Path> gpgkeys) implements PlannedRepo {
        public YumRepo {
            urls = List.copyOf(urls);
            excludes = List.copyOf(excludes);
            gpgkeys = List.copyOf(gpgkeys);
        }

        @Override
        public Format.Source source() {
            return new Format.Source(new Repo(name, priority, urls), excludes, moduleHotfixes, skipIfUnavailable, null);
        }
    }

    /**
     * An apt repo: a suite (ending in '/' for a flat repo) with components, and the keyrings whose
     * keys may sign its Release (none with {@code trusted}).
     */
    record AptRepo(String name, String module, List<String> urls, int priority, List<String> excludes,
                   boolean skipIfUnavailable, String suite, List<String> components, List<Path> keyrings, boolean trusted)
            implements PlannedRepo {
        public AptRepo {
            urls = List.copyOf(urls);
            excludes = List.copyOf(excludes);
            components = List.copyOf(components);
            keyrings = List.copyOf(keyrings);
        }

        @Override
        public Format.Source source() {
            return new Format.Source(new Repo(name, priority, urls), excludes, false, skipIfUnavailable,
                    new Format.Dist(suite, components, keyrings, trusted));
        }
    }
}
