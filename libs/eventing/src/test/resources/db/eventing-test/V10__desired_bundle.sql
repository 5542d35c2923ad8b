-- The table DesiredBundleDeclarer keeps, as an owner service's own migration creates it (identity V14, policy V12).
CREATE TABLE desired_bundle (
    owner        TEXT        NOT NULL,
    cluster_id   TEXT        NOT NULL,
    generation   BIGINT      NOT NULL,
    content_hash TEXT,
    object_count INTEGER     NOT NULL,
    drift_policy TEXT        NOT NULL DEFAULT 'repair',
    adopt        BOOLEAN     NOT NULL DEFAULT false,
    declared_at  TIMESTAMPTZ NOT NULL,
    tombstoned   BOOLEAN     NOT NULL,
    PRIMARY KEY (owner, cluster_id),
    CONSTRAINT desired_bundle_tombstone_has_no_hash CHECK (tombstoned = (content_hash IS NULL))
);
