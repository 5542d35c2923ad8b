package io.meridian.policy.domain.cel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Runs Kubernetes' own CEL test vectors ({@code src/test/resources/cel-conformance/*.yaml}, transcribed from the
 * upstream test files each names) through the policy's real {@link CelEnvironment}, prints a table per library and
 * fails on any mismatch that no {@code deviation} explains, and on any documented deviation that no longer deviates.
 */
class KubernetesCelConformanceTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final java.util.regex.Pattern SELF_FIELD = java.util.regex.Pattern.compile("\\bself\\.(\\w+)");

    /** One upstream case: what CEL should answer, and why Meridian answers otherwise if it does. */
    record Case(
            String name,
            String expr,
            String value,
            Double tolerance,
            String compileError,
            String runtimeError,
            String deviation) {}

    /** What happened to one case. */
    enum Outcome {
        EXACT,
        DEVIATION,
        FAILURE
    }

    record Result(String library, Case c, Outcome outcome, String detail) {}

    @Test
    void upstreamVectorsPassOrDeviateForADocumentedReason() throws Exception {
        List<Result> results = new ArrayList<>();
        for (Path file : vectorFiles()) {
            results.addAll(run(file));
        }
        System.out.println(table(results));
        List<String> failures = results.stream()
                .filter(r -> r.outcome() == Outcome.FAILURE)
                .map(r -> r.library() + " / " + r.c().name() + ": " + r.detail())
                .toList();
        assertThat(results).hasSizeGreaterThan(100);
        assertThat(failures).as("undocumented mismatches with upstream").isEmpty();
    }

    private static List<Path> vectorFiles() throws URISyntaxException, IOException {
        URL dir = KubernetesCelConformanceTest.class.getResource("/cel-conformance");
        assertThat(dir).as("cel-conformance test resources").isNotNull();
        try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    private static List<Result> run(Path file) throws IOException {
        JsonNode root;
        try (InputStream in = Files.newInputStream(file)) {
            root = YAML.readTree(in);
        }
        String library = text(root, "library");
        assertThat(library).as(file + ": library").isNotBlank();
        assertThat(text(root, "upstream")).as(file + ": upstream file").isNotBlank();
        assertThat(text(root, "commit")).as(file + ": upstream commit").matches("[0-9a-f]{40}");
        String fileDeviation = text(root, "deviation");
        Map<String, String> self = new LinkedHashMap<>();
        if (root.has("self")) {
            for (Map.Entry<String, JsonNode> f : root.get("self").properties()) {
                self.put(f.getKey(), f.getValue().asText());
            }
        }
        List<Result> results = new ArrayList<>();
        int index = 0;
        for (JsonNode node : root.get("cases")) {
            index++;
            String expr = text(node, "expr");
            Case c = new Case(
                    Objects.requireNonNullElse(text(node, "name"), "#" + index + " " + expr),
                    expr,
                    text(node, "value"),
                    node.has("tolerance") ? node.get("tolerance").asDouble() : null,
                    text(node, "compileError"),
                    text(node, "runtimeError"),
                    node.has("deviation") ? text(node, "deviation") : fileDeviation);
            int expectations = (c.value() == null ? 0 : 1)
                    + (c.compileError() == null ? 0 : 1)
                    + (c.runtimeError() == null ? 0 : 1);
            assertThat(expectations)
                    .as(file.getFileName() + " " + c.name() + ": exactly one of value, compileError, runtimeError")
                    .isEqualTo(1);
            String mismatch = mismatch(c, self);
            Outcome outcome;
            String detail;
            if (mismatch == null && c.deviation() == null) {
                outcome = Outcome.EXACT;
                detail = "";
            } else if (mismatch == null) {
                outcome = Outcome.FAILURE;
                detail = "documented as a deviation but now matches upstream: remove the deviation";
            } else if (c.deviation() != null) {
                outcome = Outcome.DEVIATION;
                detail = mismatch;
            } else {
                outcome = Outcome.FAILURE;
                detail = mismatch;
            }
            results.add(new Result(library, c, outcome, detail));
        }
        return results;
    }

    /** Null when Meridian answers what upstream expects, otherwise what differs. */
    private static String mismatch(Case c, Map<String, String> self) {
        String expr = substitute(c.expr(), self);
        CelEnvironment.Compiled compiled = CelEnvironment.kubernetes().compile(expr, CelEnvironment.Expect.ANY);
        if (compiled instanceof CelEnvironment.Failed failed) {
            String problems = failed.problems().toString();
            if (c.compileError() == null) {
                return "compile error " + problems;
            }
            return problems.contains(c.compileError())
                    ? null
                    : "compile error " + problems + " does not say '" + c.compileError() + "'";
        }
        if (c.compileError() != null) {
            return "compiles, expected compile error '" + c.compileError() + "'";
        }
        Object actual;
        try {
            actual = ((CelEnvironment.Program) compiled).evaluate(Map.of());
        } catch (Exception e) {
            if (c.runtimeError() == null) {
                return "evaluation error " + e.getMessage();
            }
            return String.valueOf(e.getMessage()).contains(c.runtimeError())
                    ? null
                    : "evaluation error '" + e.getMessage() + "' does not say '" + c.runtimeError() + "'";
        }
        if (c.runtimeError() != null) {
            return "evaluates to " + actual + ", expected error '" + c.runtimeError() + "'";
        }
        Object expected;
        try {
            expected = ((CelEnvironment.Program)
                            CelEnvironment.kubernetes().compile(c.value(), CelEnvironment.Expect.ANY))
                    .evaluate(Map.of());
        } catch (Exception e) {
            throw new IllegalStateException(
                    "the expected value of " + c.name() + " does not evaluate: " + c.value(), e);
        }
        if (c.tolerance() != null && actual instanceof Double a && expected instanceof Double x) {
            return Math.abs(a - x) < c.tolerance() ? null : "evaluates to " + a + ", expected " + x;
        }
        return Objects.equals(actual, expected)
                ? null
                : "evaluates to " + describe(actual) + ", expected " + describe(expected);
    }

    // `self.<field>` of a CRD rule becomes the fixture's expression, so the checker sees the field's static type.
    private static String substitute(String expr, Map<String, String> self) {
        Matcher m = SELF_FIELD.matcher(expr);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String fixture = self.get(m.group(1));
            if (fixture == null) {
                throw new IllegalStateException("no fixture for self." + m.group(1) + " in: " + expr);
            }
            m.appendReplacement(out, Matcher.quoteReplacement("(" + fixture + ")"));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String describe(Object o) {
        return o == null ? "null" : o + " (" + o.getClass().getSimpleName() + ")";
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static String table(List<Result> results) {
        Map<String, int[]> perLibrary = new LinkedHashMap<>();
        for (Result r : results) {
            int[] counts = perLibrary.computeIfAbsent(r.library(), l -> new int[4]);
            counts[0]++;
            counts[1 + r.outcome().ordinal()]++;
        }
        StringBuilder out = new StringBuilder("\nKubernetes CEL conformance (upstream test vectors)\n");
        out.append(String.format("%-14s %6s %6s %10s %9s%n", "library", "cases", "exact", "deviations", "failures"));
        int[] total = new int[4];
        perLibrary.forEach((library, c) -> {
            out.append(String.format("%-14s %6d %6d %10d %9d%n", library, c[0], c[1], c[2], c[3]));
            for (int i = 0; i < 4; i++) {
                total[i] += c[i];
            }
        });
        out.append(String.format("%-14s %6d %6d %10d %9d%n", "total", total[0], total[1], total[2], total[3]));
        for (Result r : results) {
            if (r.outcome() != Outcome.EXACT) {
                out.append(String.format("  %-9s %s / %s: %s%n", r.outcome(), r.library(), r.c().name(), r.detail()));
                if (r.outcome() == Outcome.DEVIATION) {
                    out.append("            why: ").append(r.c().deviation()).append('\n');
                }
            }
        }
        return out.toString();
    }
}
