package io.meridian.inventory.connect;

/** What a cluster connection says now of one observed object. */
public enum Presence {
    /** The kind's informer holds it. */
    HELD,
    /** The kind's informer synced without it, or the kind is not served or not watched any more. */
    GONE,
    /** Not connected, or the kind not listed yet: only a later look can tell. */
    UNKNOWN
}
