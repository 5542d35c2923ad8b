package io.meridian.observability.domain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Parses the Prometheus text-based exposition format (version 0.0.4): HELP and TYPE comments, samples with
 * optional labels (escaped values) and optional millisecond timestamps, NaN and infinities. Histogram and
 * summary lines come out as the plain samples they are ({@code _bucket}, {@code _sum}, {@code _count}).
 */
public final class ExpositionParser {

    /** One parsed line: metric name, labels in their order, value, and the optional timestamp in ms. */
    public record ParsedSample(String metric, Map<String, String> labels, double value, Long timestampMillis) {
        public ParsedSample {
            labels = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        }
    }

    /** A whole exposition: its samples, and the TYPE and HELP of each metric family that declared them. */
    public record Exposition(List<ParsedSample> samples, Map<String, String> types, Map<String, String> help) {}

    /** A text that is not the exposition format; the message names the line. */
    public static final class ExpositionException extends RuntimeException {
        public ExpositionException(int line, String message) {
            super("line " + line + ": " + message);
        }
    }

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern FLOAT = Pattern.compile("[+-]?(\\d+\\.?\\d*([eE][+-]?\\d+)?|\\.\\d+([eE][+-]?\\d+)?)");
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");
    private static final java.util.Set<String> TYPES =
            java.util.Set.of("counter", "gauge", "histogram", "summary", "untyped");

    private ExpositionParser() {}

    public static Exposition parse(String text) {
        List<ParsedSample> samples = new ArrayList<>();
        Map<String, String> types = new LinkedHashMap<>();
        Map<String, String> help = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            String line = strip(lines[i]);
            if (line.isEmpty()) {
                continue;
            }
            if (line.charAt(0) == '#') {
                comment(line.substring(1), lineNo, types, help);
            } else {
                samples.add(sample(line, lineNo));
            }
        }
        return new Exposition(List.copyOf(samples), Map.copyOf(types), Map.copyOf(help));
    }

    private static String strip(String line) {
        int start = 0;
        int end = line.length();
        while (start < end && isBlank(line.charAt(start))) {
            start++;
        }
        while (end > start && (isBlank(line.charAt(end - 1)) || line.charAt(end - 1) == '\r')) {
            end--;
        }
        return line.substring(start, end);
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    private static void comment(String rest, int lineNo, Map<String, String> types, Map<String, String> help) {
        String body = strip(rest);
        String[] tokens = body.split("[ \\t]+", 3);
        if (tokens.length < 2 || !(tokens[0].equals("HELP") || tokens[0].equals("TYPE"))) {
            return; // an ordinary comment
        }
        String name = tokens[1];
        if (!METRIC_NAME.matcher(name).matches()) {
            throw new ExpositionException(lineNo, "invalid metric name '" + name + "' in " + tokens[0]);
        }
        if (tokens[0].equals("HELP")) {
            if (help.containsKey(name)) {
                throw new ExpositionException(lineNo, "second HELP line for " + name);
            }
            help.put(name, tokens.length > 2 ? unescapeHelp(tokens[2]) : "");
        } else {
            String type = tokens.length > 2 ? strip(tokens[2]) : "";
            if (!TYPES.contains(type)) {
                throw new ExpositionException(lineNo, "unknown metric type '" + type + "' for " + name);
            }
            if (types.containsKey(name)) {
                throw new ExpositionException(lineNo, "second TYPE line for " + name);
            }
            types.put(name, type);
        }
    }

    private static String unescapeHelp(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(i + 1);
                if (n == '\\') {
                    out.append('\\');
                    i++;
                    continue;
                }
                if (n == 'n') {
                    out.append('\n');
                    i++;
                    continue;
                }
            }
            out.append(c);
        }
        return out.toString();
    }

    private static ParsedSample sample(String line, int lineNo) {
        int pos = 0;
        int n = line.length();
        while (pos < n && !isBlank(line.charAt(pos)) && line.charAt(pos) != '{') {
            pos++;
        }
        String name = line.substring(0, pos);
        if (!METRIC_NAME.matcher(name).matches()) {
            throw new ExpositionException(lineNo, "invalid metric name '" + name + "'");
        }
        pos = skipBlanks(line, pos);
        Map<String, String> labels = new LinkedHashMap<>();
        if (pos < n && line.charAt(pos) == '{') {
            pos = labels(line, pos + 1, lineNo, labels);
            pos = skipBlanks(line, pos);
        }
        String[] rest = line.substring(pos).split("[ \\t]+");
        if (rest.length == 0 || rest[0].isEmpty()) {
            throw new ExpositionException(lineNo, "sample of " + name + " has no value");
        }
        if (rest.length > 2) {
            throw new ExpositionException(lineNo, "unexpected text after the timestamp of " + name);
        }
        double value = parseValue(rest[0], lineNo);
        Long timestamp = null;
        if (rest.length == 2) {
            if (!INTEGER.matcher(rest[1]).matches()) {
                throw new ExpositionException(lineNo, "timestamp '" + rest[1] + "' is not an integer");
            }
            try {
                timestamp = Long.parseLong(rest[1]);
            } catch (NumberFormatException e) {
                throw new ExpositionException(lineNo, "timestamp '" + rest[1] + "' is out of range");
            }
        }
        return new ParsedSample(name, labels, value, timestamp);
    }

    private static int labels(String line, int pos, int lineNo, Map<String, String> labels) {
        int n = line.length();
        while (true) {
            pos = skipBlanks(line, pos);
            if (pos >= n) {
                throw new ExpositionException(lineNo, "unterminated label set");
            }
            if (line.charAt(pos) == '}') {
                return pos + 1;
            }
            int start = pos;
            while (pos < n && line.charAt(pos) != '=' && !isBlank(line.charAt(pos))) {
                pos++;
            }
            String label = line.substring(start, pos);
            if (!LABEL_NAME.matcher(label).matches()) {
                throw new ExpositionException(lineNo, "invalid label name '" + label + "'");
            }
            pos = skipBlanks(line, pos);
            if (pos >= n || line.charAt(pos) != '=') {
                throw new ExpositionException(lineNo, "expected '=' after label " + label);
            }
            pos = skipBlanks(line, pos + 1);
            if (pos >= n || line.charAt(pos) != '"') {
                throw new ExpositionException(lineNo, "label value of " + label + " must be quoted");
            }
            pos++;
            StringBuilder value = new StringBuilder();
            boolean closed = false;
            while (pos < n) {
                char c = line.charAt(pos++);
                if (c == '\\' && pos < n) {
                    char e = line.charAt(pos++);
                    switch (e) {
                        case '\\' -> value.append('\\');
                        case '"' -> value.append('"');
                        case 'n' -> value.append('\n');
                        default -> value.append('\\').append(e);
                    }
                } else if (c == '"') {
                    closed = true;
                    break;
                } else {
                    value.append(c);
                }
            }
            if (!closed) {
                throw new ExpositionException(lineNo, "unterminated value of label " + label);
            }
            if (labels.put(label, value.toString()) != null) {
                throw new ExpositionException(lineNo, "label " + label + " appears twice");
            }
            pos = skipBlanks(line, pos);
            if (pos < n && line.charAt(pos) == ',') {
                pos++;
            } else if (pos >= n || line.charAt(pos) != '}') {
                throw new ExpositionException(lineNo, "expected ',' or '}' after label " + label);
            }
        }
    }

    private static int skipBlanks(String line, int pos) {
        while (pos < line.length() && isBlank(line.charAt(pos))) {
            pos++;
        }
        return pos;
    }

    private static double parseValue(String token, int lineNo) {
        String lower = token.toLowerCase(java.util.Locale.ROOT);
        switch (lower) {
            case "nan":
                return Double.NaN;
            case "+inf", "inf":
                return Double.POSITIVE_INFINITY;
            case "-inf":
                return Double.NEGATIVE_INFINITY;
            default:
                break;
        }
        if (!FLOAT.matcher(token).matches()) {
            throw new ExpositionException(lineNo, "value '" + token + "' is not a number");
        }
        return Double.parseDouble(token);
    }
}
