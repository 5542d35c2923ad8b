-- What an operator asked of a workload that the next reconcile acts on: resume a halted rollout (consumed by that
-- reconcile), let a suppressed failover go ahead (until the decision no longer holds one back), and give a manual
-- failback its clusters back (a JSON array of cluster ids, each kept until the decision no longer lists it as
-- displaced).
CREATE TABLE workload_command (
    workload          TEXT        PRIMARY KEY,
    resume            BOOLEAN     NOT NULL DEFAULT false,
    failover_approved BOOLEAN     NOT NULL DEFAULT false,
    failback_clusters TEXT        NOT NULL DEFAULT '[]',
    requested_at      TIMESTAMPTZ NOT NULL,
    requested_by      TEXT
);
