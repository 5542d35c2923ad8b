-- Fleet access grants, role templates, the fleet as identity sees it, and the bundles it published.
CREATE TABLE access_grant (
    id                TEXT        PRIMARY KEY,
    subject_kind      TEXT        NOT NULL,
    subject_name      TEXT        NOT NULL,
    role              TEXT        NOT NULL,
    scope_labels      JSONB       NOT NULL DEFAULT '{}',
    scope_cloud       TEXT,
    scope_environment TEXT,
    namespaces        JSONB       NOT NULL DEFAULT '{"items": []}',
    expires_at        TIMESTAMPTZ,
    reason            TEXT        NOT NULL,
    state             TEXT        NOT NULL,
    approval_required BOOLEAN     NOT NULL,
    created_by        TEXT        NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL,
    approved_by       TEXT,
    approved_at       TIMESTAMPTZ,
    ended_by          TEXT,
    ended_at          TIMESTAMPTZ,
    applied_at        TIMESTAMPTZ,
    version           BIGINT      NOT NULL DEFAULT 0
);
CREATE INDEX access_grant_state ON access_grant (state);
CREATE INDEX access_grant_expiry ON access_grant (expires_at) WHERE state IN ('Active', 'Pending');

CREATE TABLE role_template (
    name        TEXT        PRIMARY KEY,
    description TEXT,
    rules       JSONB       NOT NULL, -- {"items": [...]}: see JsonLists
    created_by  TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    version     BIGINT      NOT NULL DEFAULT 0
);

-- The latest snapshot of every cluster from fleet.clusters.v1 (a compacted read model).
CREATE TABLE fleet_cluster (
    id          TEXT        PRIMARY KEY,
    cloud       TEXT,
    region      TEXT,
    environment TEXT,
    labels      JSONB       NOT NULL DEFAULT '{}',
    revision    BIGINT      NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);

-- What identity last declared per cluster on fleet.desired.v1; generation only grows, also across tombstones.
CREATE TABLE cluster_bundle (
    cluster_id   TEXT        PRIMARY KEY,
    generation   BIGINT      NOT NULL,
    content_hash TEXT,
    object_count INTEGER     NOT NULL,
    declared_at  TIMESTAMPTZ NOT NULL
);

-- The latest sync report of identity's bundle per cluster, from fleet.sync.v1.
CREATE TABLE cluster_sync (
    cluster_id         TEXT        PRIMARY KEY,
    generation_wanted  BIGINT      NOT NULL,
    generation_applied BIGINT      NOT NULL,
    failures           JSONB       NOT NULL DEFAULT '{}',
    reported_at        TIMESTAMPTZ NOT NULL
);

-- Serialises bundle computations across replicas: one row, locked by every transaction that declares bundles.
CREATE TABLE bundle_lock (
    id         INTEGER PRIMARY KEY,
    touched_at TIMESTAMPTZ
);
INSERT INTO bundle_lock (id) VALUES (1);
