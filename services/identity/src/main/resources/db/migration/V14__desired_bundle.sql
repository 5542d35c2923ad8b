-- Identity's bundle bookkeeping moves to the table that libs/eventing's DesiredBundleDeclarer keeps in every owner's
-- schema (the same shape in policy's V12). Generations carry over, so the next declaration is newer than anything
-- inventory has seen: it ignores generations that are not.
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

-- cluster_bundle held a null hash after a tombstone; every bundle identity declared had drift policy repair and
-- adopted nothing.
INSERT INTO desired_bundle (owner, cluster_id, generation, content_hash, object_count, declared_at, tombstoned)
SELECT 'identity', cluster_id, generation, content_hash, object_count, declared_at, content_hash IS NULL
FROM cluster_bundle;

DROP TABLE cluster_bundle;
