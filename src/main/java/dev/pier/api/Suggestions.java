package dev.pier.api;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

/**
 * "Did you mean" for a mistyped name (a model, a version label): the known name closest by edit distance, when
 * it is close enough to be a typo (at most a third of its length, and at least 1 edit allowed) or differs only
 * in case. Stateless.
 */
public final class Suggestions {
    private Suggestions() {}

    /** {@code "; did you mean 'mnist'?"}, or empty when no known name is close. */
    public static String didYouMean(String given, Collection<String> known) {
        return closest(given, known).map(k -> "; did you mean '" + k + "'?").orElse("");
    }

    public static Optional<String> closest(String given, Collection<String> known) {
        if (given == null || given.isEmpty()) {
            return Optional.empty();
        }
        return known.stream()
                .filter(k -> !k.equals(given))
                .filter(k -> k.equalsIgnoreCase(given)
                        || distance(given.toLowerCase(Locale.ROOT), k.toLowerCase(Locale.ROOT))
                                <= Math.max(1, Math.min(given.length(), k.length()) / 3))
                .min(Comparator.comparingInt((String k) -> distance(given, k)).thenComparing(k -> k));
    }

    /** Damerau-Levenshtein (optimal string alignment) distance: a swapped pair of letters is one edit. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
