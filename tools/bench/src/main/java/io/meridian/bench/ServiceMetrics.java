package io.meridian.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Meridian service's Prometheus metrics, read from its management interface. */
final class ServiceMetrics {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})? (\\S+)$");

    private ServiceMetrics() {}

    /** The service's own /q/metrics (on its management port), summed per metric name (labels dropped). */
    static Map<String, Double> scrape(String managementUrl) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(managementUrl + "/q/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        // A page that is not the exposition would add up to zeros: figures that look measured but are not.
        if (response.statusCode() != 200) {
            throw new IllegalStateException(
                    managementUrl + "/q/metrics answered " + response.statusCode() + " instead of the metrics");
        }
        String text = response.body();
        Map<String, Double> out = new ConcurrentHashMap<>();
        for (String line : text.split("\n")) {
            Matcher m = SAMPLE.matcher(line.trim());
            if (!line.startsWith("#") && m.matches()) {
                try {
                    double value = Double.parseDouble(m.group(3));
                    if (m.group(1).endsWith("_max")) {
                        out.merge(m.group(1), value, Math::max);
                    } else {
                        out.merge(m.group(1), value, Double::sum);
                    }
                } catch (NumberFormatException ignored) {
                    // NaN and friends carry nothing to add up
                }
            }
        }
        return out;
    }
}
