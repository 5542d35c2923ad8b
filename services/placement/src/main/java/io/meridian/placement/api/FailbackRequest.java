package io.meridian.placement.api;

import java.util.List;

/** The clusters a workload failed over from that an operator gives back their share (a manual failback). */
public record FailbackRequest(List<String> clusters) {}
