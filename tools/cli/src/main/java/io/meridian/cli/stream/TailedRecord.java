package io.meridian.cli.stream;

import io.meridian.contracts.CloudEvent;

/**
 * One record a tail read: where it was, its key, its time (the record timestamp, which the merge orders by), and the
 * CloudEvent decoded from it; {@code event} is null for a tombstone, {@code unreadable} says why one could not be
 * decoded (else null).
 */
public record TailedRecord(
        String topic, int partition, long offset, String key, long timestamp, CloudEvent event, String unreadable) {}
