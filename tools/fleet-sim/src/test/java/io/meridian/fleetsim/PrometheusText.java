package io.meridian.fleetsim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A strict reader of the Prometheus text exposition format, enough to check what the simulator serves. */
final class PrometheusText {

    private static final Pattern HELP = Pattern.compile("# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) \\S.*");
    private static final Pattern TYPE = Pattern.compile("# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (gauge|counter)");
    private static final String LABEL = "[a-zA-Z_][a-zA-Z0-9_]*=\"(?:\\\\.|[^\"\\\\])*\"";
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{" + LABEL + "(?:," + LABEL
            + ")*\\})? (-?[0-9]+(?:\\.[0-9]+)?(?:E-?[0-9]+)?)");

    private PrometheusText() {}

    /** Series (name + labels) to value; fails the test on any line that is not valid exposition text. */
    static Map<String, Double> parse(String text, Map<String, String> typesOut) {
        Map<String, Double> samples = new LinkedHashMap<>();
        Map<String, Boolean> helped = new HashMap<>();
        for (String line : text.split("\n")) {
            Matcher m;
            if ((m = HELP.matcher(line)).matches()) {
                helped.put(m.group(1), true);
            } else if ((m = TYPE.matcher(line)).matches()) {
                assertThat(helped).as("HELP before TYPE of " + m.group(1)).containsKey(m.group(1));
                typesOut.put(m.group(1), m.group(2));
            } else if ((m = SAMPLE.matcher(line)).matches()) {
                assertThat(typesOut)
                        .as("TYPE declared before samples of " + m.group(1))
                        .containsKey(m.group(1));
                String series = m.group(1) + (m.group(2) == null ? "" : m.group(2));
                assertThat(samples).as("duplicate series " + series).doesNotContainKey(series);
                samples.put(series, Double.parseDouble(m.group(3)));
            } else {
                throw new AssertionError("not Prometheus text: '" + line + "'");
            }
        }
        return samples;
    }
}
