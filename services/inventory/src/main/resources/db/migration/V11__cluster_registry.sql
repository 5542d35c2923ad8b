-- The cluster registry. The name is the cluster id everywhere in Meridian and never changes.
CREATE TABLE cluster (
    name              TEXT PRIMARY KEY,
    display_name      TEXT,
    cloud             TEXT        NOT NULL,
    region            TEXT,
    environment       TEXT,
    labels            JSONB       NOT NULL DEFAULT '{}',
    api_server_url    TEXT        NOT NULL,
    metrics_url       TEXT,
    -- Credentials: AES-GCM ciphertext in its storage form, never returned by the API, never logged.
    credential_kind   TEXT        NOT NULL,
    credential_secret TEXT        NOT NULL,
    credential_key_id TEXT        NOT NULL,
    source            TEXT        NOT NULL DEFAULT 'api',
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL,
    version           BIGINT      NOT NULL DEFAULT 0
);

CREATE INDEX cluster_cloud ON cluster (cloud);

-- What inventory last observed about each cluster; written by the connection reconciler only.
CREATE TABLE cluster_status (
    name                     TEXT PRIMARY KEY REFERENCES cluster (name) ON DELETE CASCADE,
    phase                    TEXT        NOT NULL,
    conditions               JSONB       NOT NULL DEFAULT '{"items": []}',
    kubernetes_version       TEXT,
    node_count               INTEGER     NOT NULL DEFAULT 0,
    allocatable_cpu_millis   BIGINT      NOT NULL DEFAULT 0,
    allocatable_memory_bytes BIGINT      NOT NULL DEFAULT 0,
    detected_cloud           TEXT,
    detected_region          TEXT,
    warnings                 JSONB       NOT NULL DEFAULT '{"items": []}',
    observed_at              TIMESTAMPTZ NOT NULL
);

-- Every published cluster snapshot gets the next revision, so consumers can order them.
CREATE SEQUENCE cluster_snapshot_revision;
