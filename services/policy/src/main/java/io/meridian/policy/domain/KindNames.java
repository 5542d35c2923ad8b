package io.meridian.policy.domain;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The plural resource name of a kind, as resource rules name it ({@code Pod} -> {@code pods}). */
public final class KindNames {

    // Kinds whose plural is not the regular English rule the API server's RESTMapper guesses.
    private static final Map<String, String> IRREGULAR = Map.of("Endpoints", "endpoints");
    private static final Map<String, String> CACHE = new ConcurrentHashMap<>();

    private KindNames() {}

    public static String plural(String kind) {
        return CACHE.computeIfAbsent(kind, KindNames::guess);
    }

    private static String guess(String kind) {
        String irregular = IRREGULAR.get(kind);
        if (irregular != null) {
            return irregular;
        }
        String lower = kind.toLowerCase(Locale.ROOT);
        if (lower.endsWith("s") || lower.endsWith("x") || lower.endsWith("ch") || lower.endsWith("sh")) {
            return lower + "es";
        }
        if (lower.endsWith("y") && lower.length() > 1 && "aeiou".indexOf(lower.charAt(lower.length() - 2)) < 0) {
            return lower.substring(0, lower.length() - 1) + "ies";
        }
        return lower + "s";
    }
}
