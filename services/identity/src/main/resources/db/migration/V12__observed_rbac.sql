-- RBAC objects observed on clusters (fleet.resources.v1), for the access review; a read model of a compacted topic.
CREATE TABLE observed_rbac (
    record_key    TEXT        PRIMARY KEY,
    cluster_id    TEXT        NOT NULL,
    kind          TEXT        NOT NULL,
    namespace     TEXT,
    name          TEXT        NOT NULL,
    labels        JSONB       NOT NULL DEFAULT '{}',
    role_ref_kind TEXT,
    role_ref_name TEXT,
    subjects      JSONB       NOT NULL DEFAULT '{"items": []}',
    rules         JSONB       NOT NULL DEFAULT '{"items": []}',
    resync_epoch  BIGINT      NOT NULL,
    observed_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX observed_rbac_cluster ON observed_rbac (cluster_id);
