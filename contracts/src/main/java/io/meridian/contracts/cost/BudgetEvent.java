package io.meridian.contracts.cost;

import java.time.Instant;

/** A budget's spend or forecast crossed a threshold of its amount in the current period. */
public record BudgetEvent(
        String budgetId,
        String scope,
        Threshold threshold,
        double amount,
        double spendToDate,
        double forecast,
        String currency,
        Instant at) {

    /** Which threshold was crossed. */
    public enum Threshold {
        Reached80,
        Reached100,
        ForecastExceeded
    }

    /** The record key on {@code fleet.cost.v1}. */
    public String key() {
        return scope;
    }
}
