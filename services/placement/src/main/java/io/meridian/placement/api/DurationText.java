package io.meridian.placement.api;

import java.time.Duration;

/**
 * Durations as people write them in a workload: {@code 30s}, {@code 5m}, {@code 1h30m}, {@code 500ms}, or ISO-8601
 * ({@code PT30S}, {@code P1D}); read in one pass over at most {@value #MAX_LENGTH} characters, written back in the
 * short form.
 */
final class DurationText {

    static final int MAX_LENGTH = 40;

    static final String EXPECTED = "must be a duration like 30s, 5m, 1h30m, 500ms or ISO-8601 PT30S";

    private DurationText() {}

    /** The duration {@code text} says, or null when it says none. */
    static Duration parse(String text) {
        if (text == null) {
            return null;
        }
        String s = text.strip();
        if (s.isEmpty() || s.length() > MAX_LENGTH) {
            return null;
        }
        return s.charAt(0) == 'P' || s.charAt(0) == 'p' ? iso(s) : simple(s);
    }

    /** {@code (digits unit)+} with units ms, s, m, h. */
    private static Duration simple(String s) {
        Duration total = Duration.ZERO;
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && Character.isDigit(s.charAt(i))) {
                i++;
            }
            if (i == start || i - start > 9) {
                return null;
            }
            long amount = Long.parseLong(s, start, i, 10);
            if (s.startsWith("ms", i)) {
                total = total.plusMillis(amount);
                i += 2;
            } else if (i < s.length() && s.charAt(i) == 's') {
                total = total.plusSeconds(amount);
                i++;
            } else if (i < s.length() && s.charAt(i) == 'm') {
                total = total.plusMinutes(amount);
                i++;
            } else if (i < s.length() && s.charAt(i) == 'h') {
                total = total.plusHours(amount);
                i++;
            } else {
                return null;
            }
        }
        return total;
    }

    /** {@code P[nD][T[nH][nM][n[.f]S]]}, case-insensitive, without signs. */
    private static Duration iso(String text) {
        String s = text.toUpperCase(java.util.Locale.ROOT);
        Duration total = Duration.ZERO;
        int i = 1;
        boolean time = false;
        boolean any = false;
        boolean timeTerm = false;
        String units = "D";
        while (i < s.length()) {
            if (s.charAt(i) == 'T' && !time) {
                time = true;
                units = "HMS";
                i++;
                continue;
            }
            int start = i;
            while (i < s.length() && Character.isDigit(s.charAt(i))) {
                i++;
            }
            if (i == start || i - start > 9) {
                return null;
            }
            long whole = Long.parseLong(s, start, i, 10);
            long nanos = 0;
            if (i < s.length() && (s.charAt(i) == '.' || s.charAt(i) == ',')) {
                int fractionStart = ++i;
                while (i < s.length() && Character.isDigit(s.charAt(i))) {
                    i++;
                }
                if (i == fractionStart || i - fractionStart > 9 || i >= s.length() || s.charAt(i) != 'S') {
                    return null;
                }
                String fraction = (s.substring(fractionStart, i) + "000000000").substring(0, 9);
                nanos = Long.parseLong(fraction);
            }
            if (i >= s.length()) {
                return null;
            }
            char unit = s.charAt(i++);
            int at = units.indexOf(unit);
            if (at < 0) {
                return null;
            }
            // Units come in order and each once: what is left for the next term are the ones after this.
            units = units.substring(at + 1);
            total = switch (unit) {
                case 'D' -> total.plusDays(whole);
                case 'H' -> total.plusHours(whole);
                case 'M' -> total.plusMinutes(whole);
                default -> total.plusSeconds(whole).plusNanos(nanos);
            };
            any = true;
            timeTerm = time;
        }
        // "P1DT" is no duration: a T must be followed by a time term.
        return any && (!time || timeTerm) ? total : null;
    }

    /** The short form: {@code 0s}, {@code 500ms}, {@code 30s}, {@code 1h30m}. */
    static String format(Duration d) {
        if (d == null) {
            return null;
        }
        if (d.isZero()) {
            return "0s";
        }
        StringBuilder text = new StringBuilder();
        long hours = d.toHours();
        int minutes = d.toMinutesPart();
        int seconds = d.toSecondsPart();
        int millis = d.toMillisPart();
        if (hours > 0) {
            text.append(hours).append('h');
        }
        if (minutes > 0) {
            text.append(minutes).append('m');
        }
        if (seconds > 0) {
            text.append(seconds).append('s');
        }
        if (millis > 0) {
            text.append(millis).append("ms");
        }
        return text.isEmpty() ? d.toString() : text.toString();
    }
}
