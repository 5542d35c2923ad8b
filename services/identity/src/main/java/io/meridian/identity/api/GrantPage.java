package io.meridian.identity.api;

import java.util.List;

/** A page of grants, the number matching, and the cursor of the next page if there is one. */
public record GrantPage(List<GrantView> items, int total, String nextCursor) {}
