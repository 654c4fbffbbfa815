package io.pigsty.offline.plan;

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
            int d = distance(word, a);
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

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1], cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++)
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
