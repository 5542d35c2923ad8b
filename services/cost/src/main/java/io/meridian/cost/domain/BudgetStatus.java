package io.meridian.cost.domain;

import io.meridian.contracts.cost.BudgetEvent;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * A budget's month so far: spend to date, a linear forecast to month end (spend to date plus the spend per hour of the
 * hours with cost data times the hours left), and the thresholds crossed (80 % and 100 % of the amount by spend, the
 * amount by forecast).
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
        return of(amount, spendToDate, now, monthStart(now));
    }

    /**
     * Evaluates a budget whose cost data starts at {@code dataSince} (later than the month's start when the service
     * began this month): the rate is taken over the hours with data, not over hours nobody measured.
     */
    public static BudgetStatus of(double amount, double spendToDate, Instant now, Instant dataSince) {
        Instant start = monthStart(now);
        Instant from = dataSince == null || dataSince.isBefore(start) ? start : dataSince;
        YearMonth month = YearMonth.from(now.atZone(ZoneOffset.UTC));
        Instant end = month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        // At least one hour measured, so the first minutes do not extrapolate wildly.
        double measuredHours = Math.max(1.0, Duration.between(from, now).toMillis() / 3_600_000.0);
        double hoursLeft = Math.max(0, Duration.between(now, end).toMillis() / 3_600_000.0);
        double forecast = spendToDate + spendToDate / measuredHours * hoursLeft;
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
