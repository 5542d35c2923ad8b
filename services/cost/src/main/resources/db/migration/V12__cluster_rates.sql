-- The rates each cluster was last published with on fleet.cost.v1 (key rates/<cluster_id>), and when: a change of
-- rates, or rates older than the republish interval, publishes again; a deregistered cluster's row is deleted together
-- with the tombstone of its key. The row and its event commit together, so replicas never publish one change twice.
CREATE TABLE cluster_rates (
    cluster_id      TEXT PRIMARY KEY,
    currency        TEXT             NOT NULL,
    cpu_core_hour   DOUBLE PRECISION NOT NULL,
    memory_gib_hour DOUBLE PRECISION NOT NULL,
    gpu_hour        DOUBLE PRECISION NOT NULL,
    spot_share      DOUBLE PRECISION NOT NULL,
    node_count      INTEGER          NOT NULL,
    published_at    TIMESTAMPTZ      NOT NULL
);
