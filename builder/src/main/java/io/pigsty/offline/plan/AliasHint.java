package io.pigsty.offline.plan;

import io.pigsty.offline.model.EditDistance;

/**
 * Tells a mistyped {@code package_map} alias from a missing package: the alias a word written
 * straight into a package list probably meant (a small typo away, or of the same dash-prefixed
 * family), or null.
 */
public final class AliasHint {
    private AliasHint() {}

    public static String nearest(String word, BuildPlan plan) {
        String best = null;
        int bestDist = Integer.MAX_VALUE;
        for (String a : plan.aliases()) {
            int d = EditDistance.of(word, a);
            if (d < bestDist || d == bestDist && best != null && a.compareTo(best) < 0) {
                best = a;
                bestDist = d;
            }
        }
        if (best == null) return null;
        int dash = word.indexOf('-');
        boolean sameFamily = dash > 0 && plan.aliases().stream().anyMatch(a -> a.startsWith(word.substring(0, dash + 1)));
        return bestDist <= 2 || sameFamily ? best : null;
    }
}
