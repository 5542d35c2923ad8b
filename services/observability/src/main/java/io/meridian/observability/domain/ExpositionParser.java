package io.meridian.observability.domain;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Parses the Prometheus text exposition format (0.0.4) and OpenMetrics 1.0 text, keeping what it can: a line it cannot
 * read is skipped and counted with its reason, never the whole document; for a histogram, the buckets that belong with
 * a skipped bucket line go too, since a histogram missing a bucket gives wrong quantiles. A hand-written scanner reads
 * each line once (no backtracking regular expression), every line and token has a length cap, the kept samples have a
 * count and a memory cap ({@link ExpositionLimits}), and the parse stops when the caller's deadline passes.
 *
 * <p>What each format accepts follows Prometheus' own parsers ({@code model/textparse}): in the 0.0.4 format blanks
 * between label terms, a missing comma between label pairs and a trailing comma are accepted, a HELP line without
 * text gives an empty help; OpenMetrics is read strictly (single spaces, {@code # EOF}, timestamps in seconds).
 * Quoted UTF-8 metric and label names ({@code {"my.metric","label.name"="v"}}) are read in both formats.
 */
public final class ExpositionParser {

    /** One parsed sample: metric name, labels in their order, value, and the optional timestamp in ms. */
    public record ParsedSample(String metric, Map<String, String> labels, double value, Long timestampMillis) {
        public ParsedSample {
            labels = LabelPairs.copyOf(labels);
        }
    }

    /**
     * A whole exposition: the samples kept, the TYPE, HELP and UNIT of the families that declared them, how many lines
     * were skipped and how many samples were dropped with them, the first problems (capped in number and length), and
     * whether the document was complete (an OpenMetrics document must end with {@code # EOF}).
     */
    public record Exposition(
            List<ParsedSample> samples,
            Map<String, String> types,
            Map<String, String> help,
            Map<String, String> units,
            int skippedLines,
            int droppedSamples,
            List<String> problems,
            boolean complete) {}

    /** The exposition could not be read at all: its parse ran past the deadline. */
    public static final class ExpositionException extends RuntimeException {
        public ExpositionException(String message) {
            super(message);
        }
    }

    private static final Set<String> PROMETHEUS_TYPES =
            Set.of("counter", "gauge", "histogram", "summary", "untyped", "gaugehistogram", "gauge_histogram");
    private static final Set<String> OPENMETRICS_TYPES =
            Set.of("counter", "gauge", "histogram", "gaugehistogram", "summary", "info", "stateset", "unknown");
    /** Suffixes a sample name carries on top of its family's name, longest first where one ends another. */
    private static final List<String> SUFFIXES =
            List.of("_bucket", "_gcount", "_gsum", "_count", "_sum", "_total", "_created", "_info");

    private static final int DEADLINE_CHECK_EVERY = 256;

    private ExpositionParser() {}

    /** Prometheus text with the default limits and no deadline (tests, tools). */
    public static Exposition parse(String text) {
        return parse(
                text.getBytes(StandardCharsets.UTF_8),
                ExpositionFormat.PROMETHEUS_TEXT,
                ExpositionLimits.DEFAULTS,
                () -> false);
    }

    /**
     * Parses {@code body} as {@code format}. {@code pastDeadline} is asked every few hundred lines; once it answers
     * true the parse stops with an {@link ExpositionException} naming the line it reached.
     */
    public static Exposition parse(
            byte[] body, ExpositionFormat format, ExpositionLimits limits, BooleanSupplier pastDeadline) {
        return new Run(body, format == ExpositionFormat.OPENMETRICS_TEXT, limits, pastDeadline).parse();
    }

    /** A line that cannot be read; thrown and caught within one parse, so it carries no stack trace. */
    private static final class LineError extends Exception {
        LineError(String reason) {
            super(reason, null, false, false);
        }
    }

    /** The state of one parse. */
    private static final class Run {

        private final byte[] body;
        private final boolean om;
        private final ExpositionLimits limits;
        private final BooleanSupplier pastDeadline;
        private final CharsetDecoder utf8 = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);

        private final List<ParsedSample> samples = new ArrayList<>();
        /** Per kept sample: the histogram bucket group it belongs to, or null for any other sample. */
        private final List<String> bucketGroups = new ArrayList<>();

        private final Map<String, String> types = new LinkedHashMap<>();
        private final Map<String, String> help = new LinkedHashMap<>();
        private final Map<String, String> units = new LinkedHashMap<>();
        private final Set<String> familiesWithSamples = new HashSet<>();
        private final Set<String> poisonedGroups = new HashSet<>();
        private final Set<String> poisonedFamilies = new HashSet<>();
        private final Map<String, String> names = new HashMap<>();
        private final List<String> problems = new ArrayList<>();
        private int skippedLines;
        private long retainedBytes;
        private boolean eof;
        private String lastFamily;

        // What the current sample line has yielded so far, to know what a failure takes with it.
        private String currentName;
        private String[] currentLabels;

        // The scanner's position within the current line.
        private String line;
        private int pos;

        Run(byte[] body, boolean om, ExpositionLimits limits, BooleanSupplier pastDeadline) {
            this.body = body;
            this.om = om;
            this.limits = limits;
            this.pastDeadline = pastDeadline;
        }

        Exposition parse() {
            int n = body.length;
            int start = 0;
            int lineNo = 0;
            while (start < n) {
                lineNo++;
                int end = indexOfNewline(start);
                if (lineNo % DEADLINE_CHECK_EVERY == 0 && pastDeadline.getAsBoolean()) {
                    throw new ExpositionException("parse stopped at line " + lineNo
                            + " of the exposition: the scrape timeout passed (" + samples.size() + " samples read)");
                }
                int stop = end > start && body[end - 1] == '\r' ? end - 1 : end;
                if (eof) {
                    skip(lineNo, "data after # EOF is ignored");
                    break;
                }
                readLine(lineNo, start, stop);
                start = end + 1;
            }
            boolean complete = true;
            int dropped = dropDependents();
            if (om && !eof) {
                complete = false;
                dropped += dropLastFamily();
            }
            Map<String, String> typesOut = Map.copyOf(types);
            return new Exposition(
                    List.copyOf(samples),
                    typesOut,
                    Map.copyOf(help),
                    Map.copyOf(units),
                    skippedLines,
                    dropped,
                    List.copyOf(problems),
                    complete);
        }

        private int indexOfNewline(int from) {
            for (int i = from; i < body.length; i++) {
                if (body[i] == '\n') {
                    return i;
                }
            }
            return body.length;
        }

        private void readLine(int lineNo, int start, int stop) {
            currentName = null;
            currentLabels = null;
            int length = stop - start;
            if (length > limits.maxLineBytes()) {
                poisonFromPrefix(start, stop);
                skip(lineNo, "line of " + length + " bytes is longer than max-line-bytes " + limits.maxLineBytes());
                return;
            }
            String text;
            try {
                text = decode(start, length);
            } catch (CharacterCodingException e) {
                poisonFromPrefix(start, stop);
                skip(lineNo, "invalid UTF-8");
                return;
            }
            try {
                if (om) {
                    openMetricsLine(text);
                } else {
                    prometheusLine(text);
                }
            } catch (LineError e) {
                poisonCurrent();
                skip(lineNo, e.getMessage());
            }
        }

        private String decode(int start, int length) throws CharacterCodingException {
            boolean ascii = true;
            for (int i = start; i < start + length; i++) {
                if (body[i] < 0) {
                    ascii = false;
                    break;
                }
            }
            if (ascii) {
                return new String(body, start, length, StandardCharsets.ISO_8859_1);
            }
            CharBuffer chars = utf8.reset().decode(ByteBuffer.wrap(body, start, length));
            return chars.toString();
        }

        private void skip(int lineNo, String reason) {
            skippedLines++;
            if (problems.size() < limits.maxProblems()) {
                String problem = "line " + lineNo + ": " + reason;
                if (problem.length() > limits.maxErrorChars()) {
                    problem = problem.substring(0, limits.maxErrorChars() - 3) + "...";
                }
                problems.add(problem);
            }
        }

        // ---- the Prometheus text format ----

        private void prometheusLine(String text) throws LineError {
            start(text);
            skipBlanks();
            trimTrailingBlanks();
            if (pos == line.length()) {
                return;
            }
            if (line.charAt(pos) == '#') {
                pos++;
                prometheusComment();
            } else {
                sample();
            }
        }

        private void prometheusComment() throws LineError {
            skipBlanks();
            String keyword;
            if (line.startsWith("HELP", pos)) {
                keyword = "HELP";
            } else if (line.startsWith("TYPE", pos)) {
                keyword = "TYPE";
            } else {
                return; // an ordinary comment
            }
            int after = pos + 4;
            if (after < line.length() && !isBlank(line.charAt(after))) {
                return; // "# HELPER ..." is an ordinary comment
            }
            pos = after;
            skipBlanks();
            if (pos == line.length()) {
                return; // "# HELP" alone: Prometheus reads it as a comment too
            }
            String name = metadataName(keyword);
            if (pos < line.length() && !isBlank(line.charAt(pos))) {
                throw new LineError("invalid metric name in " + keyword + ": " + excerpt(line));
            }
            skipBlanks();
            String rest = line.substring(pos);
            if (keyword.equals("HELP")) {
                putHelp(name, rest);
            } else {
                putType(name, rest, PROMETHEUS_TYPES);
            }
        }

        // ---- OpenMetrics text ----

        private void openMetricsLine(String text) throws LineError {
            start(text);
            if (line.isEmpty()) {
                throw new LineError("empty line (OpenMetrics has none)");
            }
            char first = line.charAt(0);
            if (first == '#') {
                openMetricsComment();
            } else if (first == ' ' || first == '\t') {
                throw new LineError("line starts with a blank");
            } else {
                sample();
            }
        }

        private void openMetricsComment() throws LineError {
            if (line.equals("# EOF")) {
                eof = true;
                return;
            }
            String keyword;
            if (line.startsWith("# HELP ")) {
                keyword = "HELP";
            } else if (line.startsWith("# TYPE ")) {
                keyword = "TYPE";
            } else if (line.startsWith("# UNIT ")) {
                keyword = "UNIT";
            } else {
                throw new LineError("not a HELP, TYPE, UNIT or EOF line: " + excerpt(line));
            }
            pos = 7;
            if (pos == line.length()) {
                throw new LineError("expected metric name after " + keyword);
            }
            String name = metadataName(keyword);
            if (pos == line.length()) {
                throw new LineError("expected text in " + keyword);
            }
            if (line.charAt(pos) != ' ') {
                throw new LineError("invalid metric name in " + keyword + ": " + excerpt(line));
            }
            String rest = line.substring(pos + 1);
            switch (keyword) {
                case "HELP" -> putHelp(name, rest);
                case "TYPE" -> putType(name, rest, OPENMETRICS_TYPES);
                default -> {
                    if (!rest.isEmpty() && !name.endsWith("_" + rest)) {
                        throw new LineError(
                                "unit \"" + excerpt(rest) + "\" is not a suffix of metric \"" + name + "\"");
                    }
                    if (units.containsKey(name)) {
                        throw new LineError("second UNIT line for " + name);
                    }
                    units.put(name, rest);
                }
            }
        }

        // ---- metadata ----

        private String metadataName(String keyword) throws LineError {
            if (line.charAt(pos) == '"') {
                return intern(quoted("metric name"));
            }
            String name = metricName();
            if (name == null) {
                throw new LineError("expected metric name after " + keyword + ": " + excerpt(line));
            }
            return name;
        }

        private void putHelp(String name, String text) throws LineError {
            String known = help.get(name);
            if (known != null && !known.isEmpty() && !text.isEmpty()) {
                throw new LineError("second HELP line for " + name);
            }
            if (known != null && text.isEmpty()) {
                return; // "# HELP name" without text says nothing, as in Prometheus
            }
            if (text.length() > limits.maxTokenBytes()) {
                throw new LineError("HELP text longer than max-token-bytes " + limits.maxTokenBytes());
            }
            help.put(name, unescapeHelp(text));
        }

        private void putType(String name, String type, Set<String> known) throws LineError {
            if (!known.contains(type)) {
                throw new LineError("unknown metric type \"" + excerpt(type) + "\" for " + name);
            }
            if (types.containsKey(name)) {
                throw new LineError("second TYPE line for " + name);
            }
            if (familiesWithSamples.contains(name)) {
                throw new LineError("TYPE of " + name + " after its samples");
            }
            types.put(name, type.equals("gauge_histogram") ? "gaugehistogram" : type);
        }

        private static String unescapeHelp(String s) {
            if (s.indexOf('\\') < 0) {
                return s;
            }
            StringBuilder out = new StringBuilder(s.length());
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '\\' && i + 1 < s.length()) {
                    char next = s.charAt(i + 1);
                    if (next == '\\' || next == 'n' || next == '"') {
                        out.append(next == 'n' ? '\n' : next);
                        i++;
                        continue;
                    }
                }
                out.append(c);
            }
            return out.toString();
        }

        // ---- samples ----

        private void sample() throws LineError {
            String name = null;
            boolean separated = false;
            if (pos < line.length() && line.charAt(pos) != '{') {
                name = metricName();
                if (name == null) {
                    throw new LineError("invalid metric name: " + excerpt(line));
                }
                currentName = name;
                if (pos < line.length() && line.charAt(pos) != '{' && !isBlank(line.charAt(pos))) {
                    throw new LineError("invalid metric name: " + excerpt(line));
                }
                if (!om) {
                    int afterName = pos;
                    skipBlanks();
                    separated = pos > afterName;
                }
            }
            String[] labels = new String[0];
            if (pos < line.length() && line.charAt(pos) == '{') {
                pos++;
                separated = true; // "a{} 1" and "a{}1" alike, as Prometheus reads them
                LabelSetReader reader = labelSet(name, true);
                name = reader.metricName;
                currentName = name;
                labels = reader.pairs();
                if (name == null) {
                    throw new LineError("metric name not set: " + excerpt(line));
                }
            }
            currentLabels = labels;
            // The value: after a blank, except in the 0.0.4 format right after a label set ("a{} 1", "a{}1").
            if (om) {
                expectSpace("value after metric");
            } else {
                int beforeValue = pos;
                skipBlanks();
                if (!separated && pos == beforeValue || pos == line.length()) {
                    throw new LineError("expected value after metric " + name);
                }
            }
            double value = number("value");
            Long timestamp = null;
            if (om) {
                if (pos < line.length()) {
                    expectSpace("timestamp or exemplar");
                    if (line.charAt(pos) != '#') {
                        timestamp = openMetricsTimestamp("timestamp");
                        if (pos < line.length()) {
                            expectSpace("exemplar");
                        }
                    }
                    if (pos < line.length()) {
                        exemplar();
                    }
                }
            } else {
                if (pos < line.length()) {
                    skipBlanks();
                    timestamp = integerTimestamp();
                    skipBlanks();
                    if (pos < line.length()) {
                        throw new LineError("unexpected text after the timestamp of " + name);
                    }
                }
            }
            keep(name, labels, value, timestamp);
        }

        private void keep(String name, String[] labels, double value, Long timestamp) throws LineError {
            String family = familyOf(name);
            String type = types.get(family);
            String group = null;
            if (type != null) {
                switch (type) {
                    case "summary" -> {
                        if (name.equals(family) && labelValue(labels, "quantile") != null) {
                            requireNumber(labels, "quantile");
                        }
                    }
                    case "histogram", "gaugehistogram" -> {
                        if (name.equals(family + "_bucket")) {
                            requireNumber(labels, "le");
                            if (value < 0) {
                                throw new LineError("negative bucket count for histogram " + family);
                            }
                            group = bucketGroup(family, labels);
                        } else if ((name.equals(family + "_count") || name.equals(family + "_gcount")) && value < 0) {
                            throw new LineError("negative count for histogram " + family);
                        }
                    }
                    default -> {
                        // counters, gauges, info, stateset, unknown: samples as they are
                    }
                }
                if (om && name.equals(family + "_created") && !type.equals("gauge") && !type.equals("unknown")) {
                    // The creation time of a counter, histogram or summary: metadata of the series, not a sample.
                    familiesWithSamples.add(family);
                    lastFamily = family;
                    return;
                }
            }
            if (om && group != null) {
                labels = canonical(labels, "le");
            } else if (om && "summary".equals(type) && name.equals(family)) {
                labels = canonical(labels, "quantile");
            }
            if (samples.size() >= limits.maxSeries()) {
                throw new LineError("more than max-series " + limits.maxSeries() + " samples in one exposition");
            }
            long cost = cost(labels) + (group == null ? 0 : 40 + 2L * group.length());
            if (retainedBytes + cost > limits.maxRetainedBytes()) {
                throw new LineError(
                        "samples past max-retained-bytes " + limits.maxRetainedBytes() + " (estimated heap)");
            }
            retainedBytes += cost;
            familiesWithSamples.add(family);
            lastFamily = family;
            samples.add(new ParsedSample(name, LabelPairs.wrap(labels), value, timestamp));
            bucketGroups.add(group);
        }

        /** A rough heap cost of one kept sample: record, boxed timestamp, label array and the label values. */
        private static long cost(String[] labels) {
            long bytes = 96 + 8L * labels.length;
            for (int i = 1; i < labels.length; i += 2) {
                bytes += 40 + 2L * labels[i].length();
            }
            return bytes;
        }

        /**
         * OpenMetrics writes bucket bounds and quantiles as floats ("1.0"); some exporters write "1". Prometheus
         * normalises the whole numbers so that one series keeps one name, and so does Meridian.
         */
        private static String[] canonical(String[] labels, String label) {
            for (int i = 0; i < labels.length; i += 2) {
                if (labels[i].equals(label)) {
                    String value = labels[i + 1];
                    double v = toDouble(value);
                    String normal = value;
                    if (Double.isInfinite(v)) {
                        normal = v > 0 ? "+Inf" : "-Inf";
                    } else if (v == Math.rint(v) && Math.abs(v) < 1e15) {
                        normal = (long) v + ".0";
                    }
                    if (!normal.equals(value)) {
                        labels[i + 1] = normal;
                    }
                }
            }
            return labels;
        }

        private void requireNumber(String[] labels, String label) throws LineError {
            String value = labelValue(labels, label);
            if (value == null) {
                throw new LineError("missing '" + label + "' label");
            }
            if (!isNumber(value)) {
                throw new LineError(
                        "expected float as value for '" + label + "' label, got \"" + excerpt(value) + "\"");
            }
        }

        private static String labelValue(String[] labels, String name) {
            for (int i = 0; i < labels.length; i += 2) {
                if (labels[i].equals(name)) {
                    return labels[i + 1];
                }
            }
            return null;
        }

        private String familyOf(String name) {
            if (types.containsKey(name)) {
                return name;
            }
            for (String suffix : SUFFIXES) {
                if (name.endsWith(suffix)) {
                    String base = name.substring(0, name.length() - suffix.length());
                    if (types.containsKey(base)) {
                        return base;
                    }
                }
            }
            return name;
        }

        private static String bucketGroup(String family, String[] labels) {
            StringBuilder key = new StringBuilder(family);
            for (int i = 0; i < labels.length; i += 2) {
                if (!labels[i].equals("le")) {
                    key.append('\u0000').append(labels[i]).append('=').append(labels[i + 1]);
                }
            }
            return key.toString();
        }

        // ---- what a skipped line takes with it ----

        private void poisonCurrent() {
            if (currentName == null) {
                return;
            }
            String family = familyOf(currentName);
            String type = types.get(family);
            if (("histogram".equals(type) || "gaugehistogram".equals(type)) && currentName.equals(family + "_bucket")) {
                if (currentLabels != null) {
                    poisonedGroups.add(bucketGroup(family, currentLabels));
                } else {
                    poisonedFamilies.add(family);
                }
            }
        }

        /** For a line too long or not UTF-8: if it starts with a bucket's name, its family's buckets go. */
        private void poisonFromPrefix(int start, int stop) {
            int i = start;
            while (i < stop && (body[i] == ' ' || body[i] == '\t')) {
                i++;
            }
            int nameStart = i;
            int limit = Math.min(stop, i + 1024);
            while (i < limit && isNameByte(body[i], i == nameStart)) {
                i++;
            }
            if (i > nameStart) {
                currentName = new String(body, nameStart, i - nameStart, StandardCharsets.ISO_8859_1);
                currentLabels = null;
                poisonCurrent();
            }
        }

        private int dropDependents() {
            if (poisonedGroups.isEmpty() && poisonedFamilies.isEmpty()) {
                return 0;
            }
            List<ParsedSample> kept = new ArrayList<>(samples.size());
            List<String> keptGroups = new ArrayList<>(samples.size());
            int dropped = 0;
            for (int i = 0; i < samples.size(); i++) {
                String group = bucketGroups.get(i);
                if (group != null
                        && (poisonedGroups.contains(group)
                                || poisonedFamilies.contains(group.substring(0, familyEnd(group))))) {
                    dropped++;
                    continue;
                }
                kept.add(samples.get(i));
                keptGroups.add(group);
            }
            samples.clear();
            samples.addAll(kept);
            bucketGroups.clear();
            bucketGroups.addAll(keptGroups);
            return dropped;
        }

        private static int familyEnd(String group) {
            int nul = group.indexOf('\u0000');
            return nul < 0 ? group.length() : nul;
        }

        /**
         * Without {@code # EOF} the body may have been cut anywhere: every family before the last one is whole, the
         * last one may not be, so its samples go.
         */
        private int dropLastFamily() {
            String cut = lastFamily;
            int dropped = 0;
            if (cut != null) {
                while (!samples.isEmpty()
                        && familyOf(samples.getLast().metric()).equals(cut)) {
                    samples.removeLast();
                    dropped++;
                }
            }
            String problem = "no # EOF: the exposition may be cut short"
                    + (cut == null ? "" : "; the samples of its last family " + cut + " were dropped");
            if (problems.size() < limits.maxProblems()) {
                problems.add(
                        problem.length() > limits.maxErrorChars()
                                ? problem.substring(0, limits.maxErrorChars() - 3) + "..."
                                : problem);
            }
            return dropped;
        }

        // ---- label sets ----

        /** Reads a label set up to and including its '}'; a quoted string without '=' is the metric name. */
        private LabelSetReader labelSet(String name, boolean forSample) throws LineError {
            LabelSetReader reader = new LabelSetReader(name);
            boolean needSeparator = false;
            while (true) {
                if (!om) {
                    skipBlanks();
                }
                if (pos >= line.length()) {
                    throw new LineError("unterminated label set");
                }
                char c = line.charAt(pos);
                if (c == '}') {
                    pos++;
                    return reader;
                }
                if (c == ',') {
                    if (!needSeparator) {
                        throw new LineError("expected label name, got ','");
                    }
                    pos++;
                    needSeparator = false;
                    continue;
                }
                if (needSeparator && om) {
                    throw new LineError("expected comma or brace close in the label set");
                }
                // The 0.0.4 format reads a missing comma between label pairs as Prometheus does.
                String label;
                boolean quotedName = c == '"';
                if (quotedName) {
                    label = quoted("label name");
                } else {
                    label = labelName();
                    if (label == null) {
                        throw new LineError("expected label name: " + excerpt(line.substring(pos)));
                    }
                }
                if (!om) {
                    skipBlanks();
                }
                if (quotedName && (pos >= line.length() || line.charAt(pos) != '=')) {
                    if (!forSample) {
                        throw new LineError("expected '=' after label name in exemplar");
                    }
                    if (reader.metricName != null) {
                        throw new LineError("multiple metric names");
                    }
                    reader.metricName = intern(label);
                    needSeparator = true;
                    continue;
                }
                if (pos >= line.length() || line.charAt(pos) != '=') {
                    throw new LineError("expected '=' after label " + excerpt(label));
                }
                pos++;
                if (!om) {
                    skipBlanks();
                }
                if (pos >= line.length() || line.charAt(pos) != '"') {
                    throw new LineError("label value of " + excerpt(label) + " must be quoted");
                }
                String value = quoted("label value");
                if (label.equals("__name__")) {
                    throw new LineError("label name \"__name__\" is reserved");
                }
                reader.add(intern(label), value);
                needSeparator = true;
            }
        }

        /** Labels as they come, and a quoted metric name if the label set carries one. */
        private final class LabelSetReader {
            String metricName;
            private String[] pairs = new String[8];
            private int size;

            LabelSetReader(String metricName) {
                this.metricName = metricName;
            }

            void add(String label, String value) throws LineError {
                for (int i = 0; i < size; i += 2) {
                    if (pairs[i].equals(label)) {
                        throw new LineError("duplicate label " + excerpt(label));
                    }
                }
                if (size / 2 >= limits.maxLabels()) {
                    throw new LineError("more than max-labels " + limits.maxLabels() + " labels");
                }
                if (size == pairs.length) {
                    pairs = java.util.Arrays.copyOf(pairs, size * 2);
                }
                pairs[size++] = label;
                pairs[size++] = value;
            }

            String[] pairs() {
                return java.util.Arrays.copyOf(pairs, size);
            }
        }

        // ---- OpenMetrics values ----

        private void exemplar() throws LineError {
            if (!line.startsWith("# {", pos)) {
                throw new LineError("expected exemplar (\" # {...} value\") after the value");
            }
            pos += 3;
            labelSet(null, false);
            expectSpace("value after exemplar labels");
            number("exemplar value");
            if (pos < line.length()) {
                expectSpace("exemplar timestamp");
                openMetricsTimestamp("exemplar timestamp");
                if (pos < line.length()) {
                    throw new LineError("unexpected text after the exemplar");
                }
            }
        }

        private void expectSpace(String what) throws LineError {
            if (pos >= line.length() || line.charAt(pos) != ' ' || pos + 1 >= line.length()) {
                throw new LineError("expected " + what + ": " + excerpt(line));
            }
            pos++;
        }

        /** OpenMetrics timestamps are seconds, with a fraction; Meridian keeps milliseconds. */
        private Long openMetricsTimestamp(String what) throws LineError {
            int start = pos;
            double seconds = number(what);
            if (!Double.isFinite(seconds) || Math.abs(seconds) > 9.2e15) {
                throw new LineError("invalid " + what + " " + excerpt(line.substring(start, pos)));
            }
            return Math.round(seconds * 1000);
        }

        private Long integerTimestamp() throws LineError {
            int start = pos;
            int end = tokenEnd();
            int i = start;
            if (i < end && (line.charAt(i) == '+' || line.charAt(i) == '-')) {
                i++;
            }
            if (i == end || end - start > 20) {
                throw new LineError("timestamp \"" + excerpt(line.substring(start, end)) + "\" is not an integer");
            }
            for (int k = i; k < end; k++) {
                if (!isDigit(line.charAt(k))) {
                    throw new LineError("timestamp \"" + excerpt(line.substring(start, end)) + "\" is not an integer");
                }
            }
            pos = end;
            try {
                return Long.parseLong(line, start, end, 10);
            } catch (NumberFormatException e) {
                throw new LineError("timestamp \"" + excerpt(line.substring(start, end)) + "\" is out of range");
            }
        }

        /** Reads a number token (up to a blank): decimal with optional exponent, NaN or ±Inf; no hex, no '_'. */
        private double number(String what) throws LineError {
            int start = pos;
            int end = tokenEnd();
            if (end - start > limits.maxTokenBytes()) {
                throw new LineError(what + " longer than max-token-bytes " + limits.maxTokenBytes());
            }
            if (!isNumber(line, start, end)) {
                throw new LineError(what + " \"" + excerpt(line.substring(start, end)) + "\" is not a number");
            }
            pos = end;
            return toDouble(line.substring(start, end));
        }

        private int tokenEnd() {
            int end = pos;
            while (end < line.length() && !(om ? line.charAt(end) == ' ' : isBlank(line.charAt(end)))) {
                end++;
            }
            return end;
        }

        // ---- names and strings ----

        /** A metric name at {@code pos} ({@code [a-zA-Z_:][a-zA-Z0-9_:]*}), or null if none starts there. */
        private String metricName() throws LineError {
            int start = pos;
            while (pos < line.length() && isNameChar(line.charAt(pos), pos == start, true)) {
                pos++;
            }
            if (pos == start) {
                return null;
            }
            if (pos - start > limits.maxTokenBytes()) {
                throw new LineError("metric name longer than max-token-bytes " + limits.maxTokenBytes());
            }
            return intern(line.substring(start, pos));
        }

        private String labelName() throws LineError {
            int start = pos;
            while (pos < line.length() && isNameChar(line.charAt(pos), pos == start, false)) {
                pos++;
            }
            if (pos == start) {
                return null;
            }
            if (pos - start > limits.maxTokenBytes()) {
                throw new LineError("label name longer than max-token-bytes " + limits.maxTokenBytes());
            }
            return line.substring(start, pos);
        }

        /** A double-quoted string at {@code pos} with the escapes {@code \\}, {@code \"} and {@code \n}. */
        private String quoted(String what) throws LineError {
            pos++; // the opening quote
            int start = pos;
            StringBuilder out = null;
            while (pos < line.length()) {
                char c = line.charAt(pos);
                if (c == '"') {
                    String value = out == null ? line.substring(start, pos) : out.toString();
                    pos++;
                    return value;
                }
                if (pos - start > limits.maxTokenBytes()) {
                    throw new LineError(what + " longer than max-token-bytes " + limits.maxTokenBytes());
                }
                if (c == '\\' && pos + 1 < line.length()) {
                    if (out == null) {
                        out = new StringBuilder(line.length() - start).append(line, start, pos);
                    }
                    char e = line.charAt(pos + 1);
                    switch (e) {
                        case '\\' -> out.append('\\');
                        case '"' -> out.append('"');
                        case 'n' -> out.append('\n');
                        // Other escapes stay as they are written, as in Prometheus.
                        default -> out.append('\\').append(e);
                    }
                    pos += 2;
                    continue;
                }
                if (out != null) {
                    out.append(c);
                }
                pos++;
            }
            throw new LineError("unterminated " + what);
        }

        private String intern(String s) {
            String known = names.get(s);
            if (known != null) {
                return known;
            }
            if (retainedBytes <= limits.maxRetainedBytes()) {
                // Past the budget no sample is kept any more, so new names need not be remembered either.
                names.put(s, s);
                retainedBytes += 48 + 2L * s.length();
            }
            return s;
        }

        private void start(String text) {
            line = text;
            pos = 0;
        }

        private void skipBlanks() {
            while (pos < line.length() && isBlank(line.charAt(pos))) {
                pos++;
            }
        }

        private void trimTrailingBlanks() {
            int end = line.length();
            while (end > pos && isBlank(line.charAt(end - 1))) {
                end--;
            }
            if (end < line.length()) {
                line = line.substring(0, end);
            }
        }

        private String excerpt(String s) {
            int max = Math.max(16, limits.maxErrorChars() / 4);
            return s.length() <= max ? s : s.substring(0, max) + "...";
        }
    }

    // ---- character classes and numbers, shared with the label checks ----

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isNameChar(char c, boolean first, boolean colon) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || c == '_'
                || (colon && c == ':')
                || (!first && isDigit(c));
    }

    private static boolean isNameByte(byte b, boolean first) {
        return b >= 0 && isNameChar((char) b, first, true);
    }

    static boolean isNumber(String s) {
        return isNumber(s, 0, s.length());
    }

    /** Whether s[from, to) is a Prometheus float: decimal (optional sign, fraction, exponent), NaN or Inf. */
    static boolean isNumber(String s, int from, int to) {
        int i = from;
        if (i < to && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            i++;
        }
        int rest = to - i;
        if ((rest == 3 || rest == 8) && Character.isLetter(s.charAt(i))) {
            String word = s.substring(i, to);
            return word.equalsIgnoreCase("inf") || word.equalsIgnoreCase("infinity") || word.equalsIgnoreCase("nan");
        }
        int digits = 0;
        while (i < to && isDigit(s.charAt(i))) {
            i++;
            digits++;
        }
        if (i < to && s.charAt(i) == '.') {
            i++;
            while (i < to && isDigit(s.charAt(i))) {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return false;
        }
        if (i < to && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < to && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int exponent = 0;
            while (i < to && isDigit(s.charAt(i))) {
                i++;
                exponent++;
            }
            if (exponent == 0) {
                return false;
            }
        }
        return i == to;
    }

    /** The value of a token {@link #isNumber} accepted. */
    private static double toDouble(String token) {
        char last = token.charAt(token.length() - 1);
        if (last == 'f' || last == 'F' || last == 'y' || last == 'Y' || last == 'n' || last == 'N') {
            boolean negative = token.charAt(0) == '-';
            String word = token.substring(token.charAt(0) == '+' || negative ? 1 : 0);
            if (word.equalsIgnoreCase("nan")) {
                return Double.NaN;
            }
            return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        return Double.parseDouble(token);
    }
}
