package io.meridian.cost.domain;

/** One cross-cluster flow of a window, what boundary it crossed and what sending it cost. */
public record TrafficCost(WindowInput.Traffic flow, Crossing crossing, double cost) {

    /** The widest boundary a flow crossed, which sets its price. */
    public enum Crossing {
        zone,
        region,
        cloud
    }
}
