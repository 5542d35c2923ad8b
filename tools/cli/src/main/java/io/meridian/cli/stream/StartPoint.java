package io.meridian.cli.stream;

import io.meridian.cli.CliException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Where a tail starts reading each partition: {@code --from}. */
public sealed interface StartPoint {

    /** The oldest record each partition still has. */
    record Beginning() implements StartPoint {}

    /** Only what arrives from now on. */
    record End() implements StartPoint {}

    /** The first record at or after an instant, found with the broker's time index ({@code offsetsForTimes}). */
    record AtTime(Instant time) implements StartPoint {}

    /** The same offset in every partition (clamped to what the partition has). */
    record AtOffset(long offset) implements StartPoint {}

    Pattern AGO = Pattern.compile("(\\d+)([smhdw])");

    /**
     * Reads {@code --from}: {@code beginning}, {@code end}, an ISO time ({@code 2026-12-06T03:00:00Z}), a duration
     * back from now ({@code 90s}, {@code 15m}, {@code 1h}, {@code 2d}, {@code 1w}, or ISO {@code PT1H30M}), or a
     * plain offset ({@code 42}).
     */
    static StartPoint parse(String text, Clock clock) {
        String value = text.strip();
        switch (value.toLowerCase(Locale.ROOT)) {
            case "beginning", "earliest" -> {
                return new Beginning();
            }
            case "end", "latest", "now" -> {
                return new End();
            }
            default -> {}
        }
        if (value.matches("\\d+")) {
            return new AtOffset(Long.parseLong(value));
        }
        Matcher ago = AGO.matcher(value.toLowerCase(Locale.ROOT));
        if (ago.matches()) {
            long amount = Long.parseLong(ago.group(1));
            Duration duration = switch (ago.group(2)) {
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                case "d" -> Duration.ofDays(amount);
                default -> Duration.ofDays(7 * amount);
            };
            return new AtTime(clock.instant().minus(duration));
        }
        try {
            return new AtTime(clock.instant().minus(Duration.parse(value)));
        } catch (DateTimeParseException notADuration) {
            // Next: a point in time.
        }
        try {
            return new AtTime(OffsetDateTime.parse(value).toInstant());
        } catch (DateTimeParseException e) {
            throw new CliException("--from '" + text + "' is none of: beginning, end, an ISO time"
                    + " (2026-12-06T03:00:00Z), a duration back from now (30m, 1h, 2d), an offset (42)");
        }
    }
}
