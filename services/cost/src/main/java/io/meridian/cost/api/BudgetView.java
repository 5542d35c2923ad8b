package io.meridian.cost.api;

import java.time.Instant;
import java.util.List;

/** A budget with its month so far: spend to date, forecast to month end, and the thresholds announced this month. */
public record BudgetView(
        String id,
        String name,
        String scope,
        double monthlyAmount,
        String currency,
        String month,
        double spendToDate,
        double forecast,
        double percentUsed,
        List<String> crossed,
        List<String> announced,
        Instant createdAt) {}
