package io.meridian.cost.domain;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A query window, in whole hours (UTC): {@code 6h}, {@code 7d}, {@code today}, {@code yesterday}, {@code month}, or
 * {@code <start>,<end>} as RFC 3339 instants. The end is at most the end of the current hour.
 */
public record TimeWindow(Instant start, Instant end) {

    private static final Pattern RELATIVE = Pattern.compile("([1-9][0-9]{0,3})([hd])");
    /** The longest window a query may span. */
    public static final Duration LONGEST = Duration.ofDays(92);

    /** Parses a window relative to {@code now}; empty when the text is not a window. */
    public static Optional<TimeWindow> parse(String text, Instant now) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        Instant hourEnd = now.truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
        Instant today = now.truncatedTo(ChronoUnit.DAYS);
        Matcher m = RELATIVE.matcher(text);
        TimeWindow window;
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration span = m.group(2).equals("h") ? Duration.ofHours(n) : Duration.ofDays(n);
            window = new TimeWindow(hourEnd.minus(span), hourEnd);
        } else {
            switch (text) {
                case "today" -> window = new TimeWindow(today, hourEnd);
                case "yesterday" -> window = new TimeWindow(today.minus(Duration.ofDays(1)), today);
                case "month" ->
                    window = new TimeWindow(
                            YearMonth.from(now.atZone(ZoneOffset.UTC))
                                    .atDay(1)
                                    .atStartOfDay(ZoneOffset.UTC)
                                    .toInstant(),
                            hourEnd);
                default -> {
                    String[] parts = text.split(",");
                    if (parts.length != 2) {
                        return Optional.empty();
                    }
                    try {
                        Instant start = Instant.parse(parts[0].trim()).truncatedTo(ChronoUnit.HOURS);
                        Instant end = Instant.parse(parts[1].trim());
                        Instant endHour = end.truncatedTo(ChronoUnit.HOURS);
                        if (endHour.isBefore(end)) {
                            endHour = endHour.plus(Duration.ofHours(1));
                        }
                        window = new TimeWindow(start, endHour.isAfter(hourEnd) ? hourEnd : endHour);
                    } catch (DateTimeParseException e) {
                        return Optional.empty();
                    }
                }
            }
        }
        if (!window.end().isAfter(window.start())
                || Duration.between(window.start(), window.end()).compareTo(LONGEST) > 0) {
            return Optional.empty();
        }
        return Optional.of(window);
    }
}
