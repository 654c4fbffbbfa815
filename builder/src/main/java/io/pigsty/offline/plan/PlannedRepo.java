package io.pigsty.offline.plan;

import java.nio.file.Path;
import java.util.List;

/**
 * An upstream repo selected for the build, its variables expanded: mirror URLs in the order to try,
 * and the policies the resolver applies. Apt repos also have a suite (ending in '/' for a flat
 * repo), components, and the keyring that checks their Release (null with {@code trusted}).
 * {@code where} is the definition's file:line.
 */
public record PlannedRepo(String name, String description, String module, List<String> urls, int priority,
                          List<String> excludes, boolean moduleHotfixes, boolean skipIfUnavailable,
                          String suite, List<String> components, Path keyring, boolean trusted, String where) {
    public PlannedRepo {
        urls = List.copyOf(urls);
        excludes = List.copyOf(excludes);
        components = List.copyOf(components);
    }
}
