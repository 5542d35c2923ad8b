package io.meridian.servicekit;

import java.util.List;

/**
 * One page of a list as every Meridian list answers: the items, how many match in all, and the cursor of the next
 * page ({@code null} on the last), to pass back as {@code ?cursor=}.
 */
public record Page<T>(List<T> items, long total, String nextCursor) {

    public Page {
        items = List.copyOf(items);
    }
}
