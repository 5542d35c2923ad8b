-- Which replica may write to the clusters of each fleet.clusters.v1 partition: the fencing token of every
-- write inventory makes to a cluster. A replica claims a partition when the consumer group assigns it (the
-- epoch goes up by one, never down), releases it when the partition is revoked (holder NULL), and each transaction that records a
-- write (intent, application, drift) first checks, under FOR SHARE, that its claim is still the current one.
-- A replica that lost its partitions without noticing (paused, cut off from Kafka) is fenced: its records
-- are refused, and it stops writing to those clusters.
CREATE TABLE cluster_partition_claim (
    partition_no INTEGER     PRIMARY KEY,
    epoch        BIGINT      NOT NULL,
    holder       TEXT,
    claimed_at   TIMESTAMPTZ NOT NULL
);

-- Each replica's last sign of life (database time), written with every claim and every few seconds: a partition
-- whose holder stopped writing here (killed, or paused past replica-dead-after) may be claimed by the replica Kafka
-- assigned it to, without waiting for a release that will never come. A live holder is never taken over except by
-- an assignment.
CREATE TABLE inventory_replica (
    holder  TEXT        PRIMARY KEY,
    seen_at TIMESTAMPTZ NOT NULL
);
