package io.meridian.bench;

import java.util.ArrayList;
import java.util.List;

/** A two-column result table printed the same way every run, so runs can be compared by eye or diff. */
final class Table {

    private final String title;
    private final List<String[]> rows = new ArrayList<>();

    Table(String title) {
        this.title = title;
    }

    Table row(String metric, String value) {
        rows.add(new String[] {metric, value});
        return this;
    }

    Table latency(String metric, Stats stats) {
        return row(
                metric,
                String.format(
                        "p50 %.1f ms, p99 %.1f ms, max %.1f ms (n=%d)",
                        stats.percentile(50), stats.percentile(99), stats.max(), stats.count()));
    }

    void print() {
        int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(10);
        System.out.println();
        System.out.println("== " + title);
        for (String[] row : rows) {
            System.out.printf("  %-" + width + "s  %s%n", row[0], row[1]);
        }
    }
}
