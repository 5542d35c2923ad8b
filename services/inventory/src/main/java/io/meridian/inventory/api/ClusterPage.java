package io.meridian.inventory.api;

import java.util.List;

/** One page of clusters; pass {@code nextCursor} as {@code cursor} for the next page. */
public record ClusterPage(List<ClusterView> items, int total, String nextCursor) {}
