package io.meridian.inventory.registry;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** The rules a registration must follow; every problem names its field so nothing is stored half-valid. */
public final class RegistrationRules {

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final int MAX_DISPLAY_NAME = 128;

    private RegistrationRules() {}

    /** Problems with a new registration's fields (credentials are checked by their own rules). */
    public static List<FieldProblem> check(ClusterSpec spec, boolean apiServerUrlRequired) {
        List<FieldProblem> problems = new ArrayList<>();
        String nameProblem = dnsLabelProblem(spec.name(), 63);
        if (nameProblem != null) {
            problems.add(new FieldProblem("name", nameProblem));
        }
        problems.addAll(checkMetadata(spec));
        if (spec.apiServerUrl() == null || spec.apiServerUrl().isBlank()) {
            if (apiServerUrlRequired) {
                problems.add(
                        new FieldProblem("apiServerUrl", "is required unless the kubeconfig names the API server"));
            }
        } else {
            String urlProblem = httpUrlProblem(spec.apiServerUrl());
            if (urlProblem != null) {
                problems.add(new FieldProblem("apiServerUrl", urlProblem));
            }
        }
        return problems;
    }

    /** Problems with the fields that can change after registration. */
    public static List<FieldProblem> checkMetadata(ClusterSpec spec) {
        List<FieldProblem> problems = new ArrayList<>();
        if (spec.displayName() != null && spec.displayName().length() > MAX_DISPLAY_NAME) {
            problems.add(new FieldProblem("displayName", "must be at most " + MAX_DISPLAY_NAME + " characters"));
        }
        if (spec.region() != null) {
            String regionProblem = dnsLabelProblem(spec.region(), 64);
            if (regionProblem != null) {
                problems.add(new FieldProblem("region", regionProblem + " (e.g. us-east-1, westeurope)"));
            }
        }
        if (spec.environment() != null) {
            String envProblem = dnsLabelProblem(spec.environment(), 32);
            if (envProblem != null) {
                problems.add(new FieldProblem("environment", envProblem + " (e.g. prod, staging, dev)"));
            }
        }
        problems.addAll(LabelRules.check("labels", spec.labels()));
        if (spec.metricsUrl() != null && !spec.metricsUrl().isBlank()) {
            String urlProblem = httpUrlProblem(spec.metricsUrl());
            if (urlProblem != null) {
                problems.add(new FieldProblem("metricsUrl", urlProblem));
            }
        }
        return problems;
    }

    static String dnsLabelProblem(String value, int maxLength) {
        if (value == null || value.isEmpty()) {
            return "is required";
        }
        if (value.length() > maxLength) {
            return "must be at most " + maxLength + " characters";
        }
        if (!DNS_LABEL.matcher(value).matches()) {
            return "must be lower-case alphanumerics or '-', starting and ending with an alphanumeric";
        }
        return null;
    }

    static String httpUrlProblem(String value) {
        try {
            URI uri = new URI(value);
            if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
                return "must be an http or https URL";
            }
            if (uri.getHost() == null) {
                return "must name a host";
            }
            return null;
        } catch (URISyntaxException e) {
            return "is not a URL: " + e.getReason();
        }
    }
}
