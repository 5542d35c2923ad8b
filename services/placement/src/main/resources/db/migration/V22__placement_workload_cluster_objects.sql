-- What placement needs to read inventory's sync reports per workload and to keep a cluster's one bundle within what
-- Kafka carries: which objects of each workload the cluster's bundle holds, how many bytes they take, and the last
-- object of the workload inventory could not apply (a Failed or Conflict outcome), at which workload generation.
ALTER TABLE workload_cluster
    ADD COLUMN objects           TEXT   NOT NULL DEFAULT '',  -- Kind/namespace/name of each object, one a line
    ADD COLUMN bundle_bytes      BIGINT NOT NULL DEFAULT 0,   -- the objects as JSON (UTF-8, uncompressed)
    ADD COLUMN failed_generation BIGINT,                      -- the workload generation whose object failed; null: none
    ADD COLUMN failed_object     TEXT,
    ADD COLUMN failed_outcome    TEXT,
    ADD COLUMN failed_reason     TEXT;
