package io.meridian.cost.domain;

import java.util.Map;

/**
 * One thing to change and what it saves per month. {@code kind}: rightsize, cheaper-cloud, colocate, idle-workload,
 * underused-node. {@code target} names what to change ({@code cluster/namespace/Kind/name}, a node, a pair).
 */
public record Recommendation(
        String kind,
        String target,
        String cluster,
        String summary,
        double monthlySavings,
        Map<String, Object> details) {}
