-- The placement service's own tables. The outbox and processed_event come from libs/eventing (db/eventing, V1).
COMMENT ON SCHEMA ${flyway:defaultSchema} IS 'Meridian placement service: workloads, their revisions, decisions and rollouts';

-- Workloads as users declared them. spec is the JSON of the whole declaration (manifests, placement, rollout,
-- failover, overrides) at the current generation. A deleted workload keeps its row (deleted_at set), so that creating
-- it again continues its generations: the clusters still carry objects annotated with the old ones.
CREATE TABLE workload (
    name        TEXT        PRIMARY KEY,
    namespace   TEXT        NOT NULL,
    generation  BIGINT      NOT NULL,
    spec        TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    created_by  TEXT,
    updated_at  TIMESTAMPTZ NOT NULL,
    updated_by  TEXT,
    deleted_at  TIMESTAMPTZ,
    deleted_by  TEXT
);
CREATE INDEX workload_namespace ON workload (namespace) WHERE deleted_at IS NULL;

-- Every generation's declaration, kept: clusters run older generations during a rollout, and a rollback copies one.
CREATE TABLE workload_revision (
    workload    TEXT        NOT NULL REFERENCES workload (name),
    generation  BIGINT      NOT NULL,
    spec        TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    created_by  TEXT,
    PRIMARY KEY (workload, generation)
);

-- The scheduler's last decision per workload (JSON of PlacementDecision): the input of the next, sticky, decision.
CREATE TABLE placement_decision (
    workload    TEXT        PRIMARY KEY,
    generation  BIGINT      NOT NULL,
    decision    TEXT        NOT NULL,
    decided_at  TIMESTAMPTZ NOT NULL
);

-- What each cluster is told to run of a workload and the rollout in course (JSON of WorkloadProgress), and when
-- to look again even if no event comes (a pause ends, a health gate times out).
CREATE TABLE workload_progress (
    workload    TEXT        PRIMARY KEY,
    progress    TEXT        NOT NULL,
    wake_at     TIMESTAMPTZ,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX workload_progress_wake ON workload_progress (wake_at) WHERE wake_at IS NOT NULL;

-- Which workload generation went to a cluster in which bundle generation, and which one inventory applied there:
-- fleet.sync.v1 reports bundle generations, the rollout needs workload generations.
CREATE TABLE workload_cluster (
    workload            TEXT   NOT NULL,
    cluster_id          TEXT   NOT NULL,
    declared_generation BIGINT NOT NULL,  -- the workload generation in the last bundle declared to the cluster
    bundle_generation   BIGINT NOT NULL,  -- the first bundle generation that carried declared_generation
    applied_generation  BIGINT NOT NULL DEFAULT 0,  -- the workload generation inventory applied; 0: none yet
    PRIMARY KEY (workload, cluster_id)
);
CREATE INDEX workload_cluster_cluster ON workload_cluster (cluster_id);

-- The table libs/eventing's DesiredBundleDeclarer keeps in every owner's schema (as identity V14, policy V12).
CREATE TABLE desired_bundle (
    owner        TEXT        NOT NULL,
    cluster_id   TEXT        NOT NULL,
    generation   BIGINT      NOT NULL,  -- only grows; a tombstone keeps the generation it withdrew
    content_hash TEXT,                  -- BundleContentHash of the objects; null when tombstoned
    object_count INTEGER     NOT NULL,
    drift_policy TEXT        NOT NULL DEFAULT 'repair',
    adopt        BOOLEAN     NOT NULL DEFAULT false,
    declared_at  TIMESTAMPTZ NOT NULL,
    tombstoned   BOOLEAN     NOT NULL,  -- generation 0 and tombstoned: never declared
    PRIMARY KEY (owner, cluster_id),
    CONSTRAINT desired_bundle_tombstone_has_no_hash CHECK (tombstoned = (content_hash IS NULL))
);
