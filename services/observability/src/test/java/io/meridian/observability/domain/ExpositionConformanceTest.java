package io.meridian.observability.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The exposition parser against the upstream projects' own test inputs, transcribed as data under
 * {@code src/test/resources/conformance/} (each file names the repository, path and commit it came from). Prints a
 * table per source; fails on any mismatch that no {@code deviation:} in the data explains, and on a documented
 * deviation that no longer happens (so the notes stay true).
 */
class ExpositionConformanceTest {

    static final List<String> SOURCES =
            List.of("prometheus-promparse.txt", "prometheus-common-text.txt", "prometheus-openmetrics.txt");

    /** One upstream case: the input, what upstream gives, and (for a deviation) what Meridian gives and why. */
    record Case(
            String source,
            String name,
            ExpositionFormat format,
            byte[] input,
            Expectation upstream,
            Expectation meridian,
            String deviation) {}

    /** What a parse should give; help, type and unit are checked for the names listed only. */
    record Expectation(
            List<String> samples,
            Set<Integer> skipped,
            Map<String, String> help,
            Map<String, String> types,
            Map<String, String> units,
            boolean incomplete) {}

    /** What a parser gave, in the same terms. */
    record Outcome(
            List<String> samples,
            Set<Integer> skipped,
            Map<String, String> help,
            Map<String, String> types,
            Map<String, String> units,
            boolean complete) {}

    /** The tally of one source file. */
    record Tally(String source, int cases, int passed, int deviations, List<String> failures) {}

    @Test
    void upstreamCasesPassOrAreDocumentedDeviations() {
        List<Tally> tallies = new ArrayList<>();
        for (String source : SOURCES) {
            tallies.add(run(source, load(source), ExpositionConformanceTest::meridian, true));
        }
        System.out.println(table("Exposition conformance (Meridian's ExpositionParser)", tallies));

        List<String> failures =
                tallies.stream().flatMap(t -> t.failures().stream()).toList();
        assertThat(failures).as("undocumented mismatches").isEmpty();
        assertThat(tallies.stream().mapToInt(Tally::cases).sum())
                .as("cases read")
                .isGreaterThan(150);
    }

    static Outcome meridian(Case c) {
        ExpositionLimits limits = new ExpositionLimits(65_536, 16_384, 100_000, 64, 64L << 20, 200, 1000);
        ExpositionParser.Exposition e = ExpositionParser.parse(c.input(), c.format(), limits, () -> false);
        Set<Integer> skipped = new TreeSet<>();
        for (String problem : e.problems()) {
            if (problem.startsWith("line ")) {
                skipped.add(Integer.parseInt(problem.substring(5, problem.indexOf(':'))));
            }
        }
        assertThat(skipped)
                .as("every skipped line has its problem in %s", c.name())
                .hasSize(e.skippedLines());
        return new Outcome(
                e.samples().stream().map(ExpositionConformanceTest::render).toList(),
                skipped,
                e.help(),
                e.types(),
                e.units(),
                e.complete());
    }

    /**
     * Runs every case of one source through {@code parser}. With {@code strict}, a documented deviation must give the
     * Meridian expectation (and must still differ from upstream); without, deviations only count as mismatches.
     */
    static Tally run(String source, List<Case> cases, Function<Case, Outcome> parser, boolean strict) {
        int passed = 0;
        int deviations = 0;
        List<String> failures = new ArrayList<>();
        for (Case c : cases) {
            Outcome outcome;
            try {
                outcome = parser.apply(c);
            } catch (RuntimeException e) {
                failures.add(source + " / " + c.name() + ": threw " + e);
                continue;
            }
            String upstream = mismatch(c.upstream(), outcome, c.format());
            if (c.deviation() == null || !strict) {
                if (upstream == null) {
                    passed++;
                } else {
                    failures.add(source + " / " + c.name() + ": " + upstream);
                }
                continue;
            }
            String ours = mismatch(c.meridian(), outcome, c.format());
            if (ours != null) {
                failures.add(source + " / " + c.name() + " (documented deviation): " + ours);
            } else if (upstream == null) {
                failures.add(source + " / " + c.name() + ": now matches upstream; remove the deviation note");
            } else {
                deviations++;
            }
        }
        return new Tally(source, cases.size(), passed, deviations, failures);
    }

    static String table(String title, List<Tally> tallies) {
        StringBuilder out = new StringBuilder("\n").append(title).append('\n');
        out.append(String.format("%-30s %6s %7s %11s %9s%n", "source", "cases", "passed", "deviations", "failures"));
        for (Tally t : tallies) {
            out.append(String.format(
                    "%-30s %6d %7d %11d %9d%n",
                    t.source(),
                    t.cases(),
                    t.passed(),
                    t.deviations(),
                    t.failures().size()));
        }
        tallies.forEach(
                t -> t.failures().forEach(f -> out.append("  ").append(f).append('\n')));
        return out.toString();
    }

    private static String mismatch(Expectation expected, Outcome actual, ExpositionFormat format) {
        List<String> want = new ArrayList<>(expected.samples());
        List<String> got = new ArrayList<>(actual.samples());
        want.sort(null);
        got.sort(null);
        if (!want.equals(got)) {
            return "samples " + got + " instead of " + want;
        }
        if (!expected.skipped().equals(actual.skipped())) {
            return "skipped lines " + actual.skipped() + " instead of " + expected.skipped();
        }
        boolean complete = format == ExpositionFormat.PROMETHEUS_TEXT || !expected.incomplete();
        if (complete != actual.complete()) {
            return complete ? "reported incomplete" : "not reported incomplete";
        }
        for (var e : expected.help().entrySet()) {
            String help = actual.help().get(e.getKey());
            if (help == null || !escape(help, false).equals(e.getValue())) {
                return "help of " + e.getKey() + " is " + help;
            }
        }
        if (!actual.types().entrySet().containsAll(expected.types().entrySet())) {
            return "types " + actual.types() + " lack " + expected.types();
        }
        if (!actual.units().entrySet().containsAll(expected.units().entrySet())) {
            return "units " + actual.units() + " lack " + expected.units();
        }
        return null;
    }

    /** {@code name{label="value",...} value [@ms]}, labels sorted by name, as the data files write samples. */
    static String render(ExpositionParser.ParsedSample s) {
        StringBuilder out = new StringBuilder(escape(s.metric(), true));
        if (!s.labels().isEmpty()) {
            out.append('{');
            new TreeMap<>(s.labels())
                    .forEach((k, v) -> out.append(escape(k, true))
                            .append("=\"")
                            .append(escape(v, true))
                            .append("\","));
            out.setCharAt(out.length() - 1, '}');
        }
        out.append(' ').append(s.value());
        if (s.timestampMillis() != null) {
            out.append(" @").append(s.timestampMillis());
        }
        return out.toString();
    }

    private static String escape(String s, boolean quotes) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '\\') {
                out.append("\\\\");
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '"' && quotes) {
                out.append("\\\"");
            } else if (c < 0x20 || c == 0x7f) {
                out.append(String.format("⟪%02x⟫", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    // ---- reading the data files ----

    static List<Case> load(String source) {
        String text;
        try (InputStream in = ExpositionConformanceTest.class.getResourceAsStream("/conformance/" + source)) {
            assertThat(in).as("conformance/" + source).isNotNull();
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Case> cases = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        int i = 0;
        while (i < lines.length) {
            if (!lines[i].startsWith("=== ")) {
                i++;
                continue;
            }
            String name = lines[i++].substring(4);
            ExpositionFormat format = ExpositionFormat.PROMETHEUS_TEXT;
            if (lines[i].startsWith("format: ")) {
                format = lines[i++].equals("format: openmetrics")
                        ? ExpositionFormat.OPENMETRICS_TEXT
                        : ExpositionFormat.PROMETHEUS_TEXT;
            }
            assertThat(lines[i++]).as(source + " / " + name).isEqualTo("--- input");
            StringBuilder input = new StringBuilder();
            while (!lines[i].equals("--- expect")) {
                input.append(lines[i++]).append('\n');
            }
            i++;
            List<String> expect = new ArrayList<>();
            while (i < lines.length && !lines[i].startsWith("=== ") && !lines[i].equals("--- meridian")) {
                expect.add(lines[i++]);
            }
            List<String> meridian = null;
            String deviation = null;
            if (i < lines.length && lines[i].equals("--- meridian")) {
                i++;
                meridian = new ArrayList<>();
                while (i < lines.length && !lines[i].startsWith("=== ")) {
                    if (lines[i].startsWith("deviation: ")) {
                        deviation = lines[i].substring("deviation: ".length());
                    } else {
                        meridian.add(lines[i]);
                    }
                    i++;
                }
                assertThat(deviation)
                        .as(source + " / " + name + " needs a deviation: reason")
                        .isNotBlank();
            }
            cases.add(new Case(
                    source,
                    name,
                    format,
                    bytes(input.toString()),
                    expectation(expect),
                    meridian == null ? null : expectation(meridian),
                    deviation));
        }
        return cases;
    }

    private static byte[] bytes(String input) {
        String text = input.endsWith("⟪nonl⟫\n") ? input.substring(0, input.length() - "⟪nonl⟫\n".length()) : input;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < text.length()) {
            int marker = text.indexOf('⟪', i);
            if (marker < 0) {
                out.writeBytes(text.substring(i).getBytes(StandardCharsets.UTF_8));
                break;
            }
            out.writeBytes(text.substring(i, marker).getBytes(StandardCharsets.UTF_8));
            int close = text.indexOf('⟫', marker);
            out.write(Integer.parseInt(text.substring(marker + 1, close), 16));
            i = close + 1;
        }
        return out.toByteArray();
    }

    private static Expectation expectation(List<String> lines) {
        List<String> samples = new ArrayList<>();
        Set<Integer> skipped = new TreeSet<>();
        Map<String, String> help = new LinkedHashMap<>();
        Map<String, String> types = new LinkedHashMap<>();
        Map<String, String> units = new LinkedHashMap<>();
        boolean incomplete = false;
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            int space = line.indexOf(' ');
            String keyword = space < 0 ? line : line.substring(0, space);
            String rest = space < 0 ? "" : line.substring(space + 1);
            switch (keyword) {
                case "sample" -> samples.add(expectedSample(rest));
                case "skip" -> {
                    for (String n : rest.split(" ")) {
                        skipped.add(Integer.parseInt(n));
                    }
                }
                case "help", "type", "unit" -> {
                    int s = rest.indexOf(' ');
                    String name = s < 0 ? rest : rest.substring(0, s);
                    String value = s < 0 ? "" : rest.substring(s + 1);
                    (keyword.equals("help") ? help : keyword.equals("type") ? types : units)
                            .put(name, keyword.equals("help") ? value : value.strip());
                }
                case "incomplete" -> incomplete = true;
                default -> throw new IllegalArgumentException("unknown expectation: " + line);
            }
        }
        return new Expectation(samples, skipped, help, types, units, incomplete);
    }

    /** Re-renders an expected sample's value with Java's own number parser, so "1e3" and "1000.0" compare equal. */
    private static String expectedSample(String text) {
        String rest = text;
        String timestamp = "";
        int last = rest.lastIndexOf(' ');
        if (rest.substring(last + 1).startsWith("@")) {
            timestamp = " " + rest.substring(last + 1);
            rest = rest.substring(0, last);
            last = rest.lastIndexOf(' ');
        }
        String value = rest.substring(last + 1);
        double v = switch (value) {
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(value);
        };
        return rest.substring(0, last) + " " + v + timestamp;
    }
}
