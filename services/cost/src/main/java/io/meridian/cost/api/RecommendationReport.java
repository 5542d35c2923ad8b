package io.meridian.cost.api;

import io.meridian.cost.domain.Recommendation;
import java.time.Instant;
import java.util.List;

/** Recommendations over the recent hours, largest savings first, and what they would save together per month. */
public record RecommendationReport(
        Instant generatedAt, int hours, String currency, double totalMonthlySavings, List<Recommendation> items) {}
