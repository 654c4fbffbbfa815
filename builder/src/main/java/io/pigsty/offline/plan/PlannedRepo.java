package io.pigsty.offline.plan;

import java.util.List;

/**
 * An upstream repo selected for the build, its variables expanded: mirror URLs in the order to try,
 * and the policies the resolver applies. {@code where} is the definition's file:line.
 */
public record PlannedRepo(String name, String description, String module, List<String> urls, int priority,
                          List<String> excludes, boolean moduleHotfixes, boolean skipIfUnavailable, String where) {
    public PlannedRepo {
        urls = List.copyOf(urls);
        excludes = List.copyOf(excludes);
    }
}
