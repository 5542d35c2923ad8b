package io.meridian.eventing.sql;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The VALUES list of a multi-row statement with named parameters: {@code (:a#, :b#)} for three rows is
 * {@code (:a0, :b0), (:a1, :b1), (:a2, :b2)}. Built with plain appends: these statements are on the hot path of
 * group commits, where {@code String.format} per row cost more than the database round trip.
 */
public final class MultiRowValues {

    private static final Pattern INDEX = Pattern.compile("#", Pattern.LITERAL);
    private static final Map<String, String[]> PARTS = new ConcurrentHashMap<>();

    private MultiRowValues() {}

    /**
     * @param rowTemplate one row, with {@code #} where the row's index goes in each parameter name
     * @param rows how many rows
     */
    public static String of(String rowTemplate, int rows) {
        String[] parts = PARTS.computeIfAbsent(rowTemplate, t -> INDEX.split(t, -1));
        StringBuilder sql = new StringBuilder(rows * (rowTemplate.length() + 8));
        for (int i = 0; i < rows; i++) {
            if (i > 0) {
                sql.append(", ");
            }
            sql.append(parts[0]);
            for (int p = 1; p < parts.length; p++) {
                sql.append(i).append(parts[p]);
            }
        }
        return sql.toString();
    }
}
