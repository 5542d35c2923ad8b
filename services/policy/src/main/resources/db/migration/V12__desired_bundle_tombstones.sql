-- The bundle bookkeeping becomes the table that libs/eventing's DesiredBundleDeclarer keeps in every owner's schema
-- (the same shape as identity's V14): keyed by owner, with the bundle settings and a tombstone flag. The rows stay,
-- so generations continue where they were: inventory ignores a generation that is not newer.
ALTER TABLE desired_bundle ADD COLUMN owner TEXT NOT NULL DEFAULT 'policy';
ALTER TABLE desired_bundle ALTER COLUMN owner DROP DEFAULT;
ALTER TABLE desired_bundle DROP CONSTRAINT desired_bundle_pkey;
ALTER TABLE desired_bundle ADD PRIMARY KEY (owner, cluster_id);

-- Every bundle policy declared so far had drift policy repair and adopted nothing.
ALTER TABLE desired_bundle ADD COLUMN drift_policy TEXT NOT NULL DEFAULT 'repair';
ALTER TABLE desired_bundle ADD COLUMN adopt BOOLEAN NOT NULL DEFAULT false;

-- Policy never sent a tombstone: it declared empty bundles. Those rows stay "declared", so the next reconcile that
-- finds nothing wanted there replaces the empty bundle with a tombstone.
ALTER TABLE desired_bundle ADD COLUMN tombstoned BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE desired_bundle ALTER COLUMN tombstoned DROP DEFAULT;
ALTER TABLE desired_bundle ALTER COLUMN content_hash DROP NOT NULL;
ALTER TABLE desired_bundle
    ADD CONSTRAINT desired_bundle_tombstone_has_no_hash CHECK (tombstoned = (content_hash IS NULL));

COMMENT ON COLUMN desired_bundle.generation IS 'only grows; a tombstone keeps the generation it withdrew';
COMMENT ON COLUMN desired_bundle.content_hash IS 'BundleContentHash of the objects; null when tombstoned';
COMMENT ON COLUMN desired_bundle.tombstoned IS 'generation 0 and tombstoned: never declared';
