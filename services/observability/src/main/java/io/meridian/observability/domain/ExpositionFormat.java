package io.meridian.observability.domain;

import java.util.Locale;

/** The metrics text formats the scraper reads, chosen by the response's Content-Type. */
public enum ExpositionFormat {
    /** The Prometheus text-based exposition format, version 0.0.4. */
    PROMETHEUS_TEXT("text/plain; version=0.0.4; charset=utf-8"),
    /** OpenMetrics 1.0 text: {@code # EOF} terminated, timestamps in seconds, exemplars, units. */
    OPENMETRICS_TEXT("application/openmetrics-text; version=1.0.0; charset=utf-8");

    /**
     * The Accept header a scrape sends: OpenMetrics 1.0 preferred, the Prometheus text format as the fallback that
     * every exporter speaks.
     */
    public static final String ACCEPT = "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5";

    private final String contentType;

    ExpositionFormat(String contentType) {
        this.contentType = contentType;
    }

    /** The Content-Type a server sends with a body in this format. */
    public String contentType() {
        return contentType;
    }

    /**
     * The format of a response with this Content-Type. Anything that is not OpenMetrics (including a missing header
     * and {@code text/plain} of any version) is read as the Prometheus text format, as exporters that predate content
     * negotiation answer with whatever type their web framework picks.
     */
    public static ExpositionFormat ofContentType(String contentType) {
        if (contentType == null) {
            return PROMETHEUS_TEXT;
        }
        int semicolon = contentType.indexOf(';');
        String media = (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
                .strip()
                .toLowerCase(Locale.ROOT);
        return media.equals("application/openmetrics-text") ? OPENMETRICS_TEXT : PROMETHEUS_TEXT;
    }
}
