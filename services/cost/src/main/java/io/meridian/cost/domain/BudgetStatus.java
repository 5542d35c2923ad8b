package io.meridian.cost.domain;

import io.meridian.contracts.cost.BudgetEvent;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * A budget's month so far: spend to date, a linear forecast to month end (spend per elapsed hour times the hours of
 * the month), and the thresholds crossed (80 % and 100 % of the amount by spend, the amount by forecast).
 */
public record BudgetStatus(double amount, double spendToDate, double forecast, List<BudgetEvent.Threshold> crossed) {

    /** The month (UTC) an instant falls in, as {@code yyyy-MM}. */
    public static String month(Instant at) {
        return YearMonth.from(at.atZone(ZoneOffset.UTC)).toString();
    }

    public static Instant monthStart(Instant at) {
        return YearMonth.from(at.atZone(ZoneOffset.UTC))
                .atDay(1)
                .atStartOfDay(ZoneOffset.UTC)
                .toInstant();
    }

    /** Evaluates a budget at {@code now} given what its scope spent since the month began. */
    public static BudgetStatus of(double amount, double spendToDate, Instant now) {
        Instant start = monthStart(now);
        YearMonth month = YearMonth.from(now.atZone(ZoneOffset.UTC));
        double monthHours = month.lengthOfMonth() * 24.0;
        // At least one hour elapsed, so the first minutes of a month do not extrapolate wildly.
        double elapsedHours = Math.max(1.0, Duration.between(start, now).toMillis() / 3_600_000.0);
        double forecast = spendToDate / elapsedHours * monthHours;
        List<BudgetEvent.Threshold> crossed = new ArrayList<>();
        if (amount > 0 && spendToDate >= 0.8 * amount) {
            crossed.add(BudgetEvent.Threshold.Reached80);
        }
        if (amount > 0 && spendToDate >= amount) {
            crossed.add(BudgetEvent.Threshold.Reached100);
        }
        if (amount > 0 && forecast > amount) {
            crossed.add(BudgetEvent.Threshold.ForecastExceeded);
        }
        return new BudgetStatus(amount, spendToDate, forecast, List.copyOf(crossed));
    }
}
