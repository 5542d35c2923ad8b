-- The desired-bundle engine's memory: per owner and cluster, what was wanted and applied, and which
-- objects inventory wrote there (so it can prune them when they leave the bundle).
CREATE TABLE bundle_sync (
    owner              TEXT        NOT NULL,
    cluster            TEXT        NOT NULL,
    generation_wanted  BIGINT      NOT NULL,
    generation_applied BIGINT      NOT NULL DEFAULT 0,
    created            INTEGER     NOT NULL DEFAULT 0,
    patched            INTEGER     NOT NULL DEFAULT 0,
    unchanged          INTEGER     NOT NULL DEFAULT 0,
    deleted            INTEGER     NOT NULL DEFAULT 0,
    conflicts          INTEGER     NOT NULL DEFAULT 0,
    failed             INTEGER     NOT NULL DEFAULT 0,
    drift_policy       TEXT        NOT NULL DEFAULT 'repair',
    last_error         TEXT,
    last_drift         TEXT,
    last_drift_at      TIMESTAMPTZ,
    applied_at         TIMESTAMPTZ,
    updated_at         TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (owner, cluster)
);

CREATE TABLE bundle_object (
    owner        TEXT NOT NULL,
    cluster      TEXT NOT NULL,
    object_key   TEXT NOT NULL,
    api_version  TEXT NOT NULL,
    kind         TEXT NOT NULL,
    namespace    TEXT,
    name         TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    PRIMARY KEY (owner, cluster, object_key)
);
