-- Policies as users wrote them (JSON of PolicyDefinition); the generation comes from one sequence so that it
-- keeps increasing even when a policy is deleted and created again under the same name.
CREATE SEQUENCE policy_generation_seq;

CREATE TABLE policy (
    name        TEXT        PRIMARY KEY,
    generation  BIGINT      NOT NULL,
    definition  TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    updated_by  TEXT
);

-- Exemptions from one policy for a cluster, namespace or object; a NULL scope column means "any".
CREATE TABLE waiver (
    id          TEXT        PRIMARY KEY,
    policy      TEXT        NOT NULL,
    cluster_id  TEXT,
    namespace   TEXT,
    kind        TEXT,
    name        TEXT,
    reason      TEXT        NOT NULL,
    expires_at  TIMESTAMPTZ,
    created_by  TEXT,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX waiver_policy ON waiver (policy);

-- Open violations: a row exists exactly while the violation stands; its insert and delete travel with the
-- VIOLATION_OPENED / VIOLATION_CLOSED event in one transaction.
CREATE TABLE violation (
    policy            TEXT        NOT NULL,
    cluster_id        TEXT        NOT NULL,
    object_key        TEXT        NOT NULL,
    api_group         TEXT        NOT NULL,
    api_version       TEXT        NOT NULL,
    kind              TEXT        NOT NULL,
    namespace         TEXT,
    name              TEXT        NOT NULL,
    severity          TEXT        NOT NULL,
    action            TEXT        NOT NULL,
    categories        TEXT        NOT NULL,
    message           TEXT,
    policy_generation BIGINT      NOT NULL,
    opened_at         TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (policy, cluster_id, object_key)
);
CREATE INDEX violation_cluster ON violation (cluster_id);

-- The last desired bundle declared per cluster: a new generation goes out only when the content changed.
CREATE TABLE desired_bundle (
    cluster_id    TEXT        PRIMARY KEY,
    generation    BIGINT      NOT NULL,
    content_hash  TEXT        NOT NULL,
    object_count  INTEGER     NOT NULL,
    declared_at   TIMESTAMPTZ NOT NULL
);
