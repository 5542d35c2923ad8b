package io.meridian.contracts.placement;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;

/**
 * A workload's share moves between clusters: data of {@code failover.started} (the share of {@code from} is being
 * placed on {@code to}), {@code failover.completed} (the replacement is available on {@code to}, and only now was
 * anything taken away from {@code from}) and {@code failback.completed} (the share is back on the returned clusters
 * {@code to} and taken away from {@code from}).
 *
 * @param monthlyCostDelta what the move changes the workload's monthly cost by, in {@code currency}; positive is dearer
 * @param currency ISO 4217 code; {@code null} when the clusters have published no rates, and the delta means nothing
 * @param summary the move's cost in words, e.g. {@code +212 USD/month} (see {@link #costSummary})
 * @param cause why the workload left the clusters it left (for a failback: why it had left the clusters it returns
 *     to); optional, added in a minor version: {@code null} from a producer that did not say, or for a move whose
 *     clusters were left for different causes
 */
public record FailoverMove(
        String workload,
        List<String> from,
        List<String> to,
        double monthlyCostDelta,
        String currency,
        String summary,
        Cause cause,
        Instant at)
        implements PlacementFact {

    public FailoverMove {
        from = from == null ? List.of() : List.copyOf(from);
        to = to == null ? List.of() : List.copyOf(to);
    }

    /** A move whose summary says its cost delta the one way {@link #costSummary} does, and whose cause is not said. */
    public static FailoverMove of(
            String workload, List<String> from, List<String> to, double monthlyCostDelta, String currency, Instant at) {
        return of(workload, from, to, monthlyCostDelta, currency, null, at);
    }

    /** A move whose summary says its cost delta the one way {@link #costSummary} does, with its cause. */
    public static FailoverMove of(
            String workload,
            List<String> from,
            List<String> to,
            double monthlyCostDelta,
            String currency,
            Cause cause,
            Instant at) {
        return new FailoverMove(
                workload, from, to, monthlyCostDelta, currency, costSummary(monthlyCostDelta, currency), cause, at);
    }

    /** Why a workload left a cluster, Kubernetes-reason style on the wire. */
    public enum Cause {
        /** The cluster was Unreachable or not Ready for longer than the workload's {@code failover.after}. */
        ClusterLost,
        /** The cluster was Ready but the workload unavailable there longer than {@code failover.unhealthyAfter}. */
        WorkloadUnhealthy
    }

    /**
     * A monthly cost delta for people: signed, whole units from 10 up and cents below (half up), so {@code +212
     * USD/month}, {@code -3.5 EUR/month}, {@code 0 USD/month}; without a currency, that the change is unknown.
     */
    public static String costSummary(double monthlyCostDelta, String currency) {
        if (currency == null || currency.isBlank()) {
            return "cost change unknown: no published rates";
        }
        if (!Double.isFinite(monthlyCostDelta)) {
            throw new IllegalArgumentException("a monthly cost delta is a finite number, got " + monthlyCostDelta);
        }
        int scale = Math.abs(monthlyCostDelta) >= 10 ? 0 : 2;
        BigDecimal amount = BigDecimal.valueOf(monthlyCostDelta)
                .setScale(scale, RoundingMode.HALF_UP)
                .stripTrailingZeros();
        String unit = " " + currency + "/month";
        if (amount.signum() == 0) {
            return "0" + unit;
        }
        return (amount.signum() > 0 ? "+" : "") + amount.toPlainString() + unit;
    }

    @Override
    public PlacementKey placementKey() {
        return PlacementKey.failover(workload);
    }
}
