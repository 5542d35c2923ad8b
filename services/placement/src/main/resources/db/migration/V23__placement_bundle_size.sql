-- The bytes of each cluster's bundle, kept with every declaration of it: the room left in a bundle was a sum over the
-- whole workload_cluster table on every reconcile (100,000 rows for 1,000 workloads on 100 clusters), and is now one
-- row per cluster. A cluster with an empty bundle has no row. During a rolling upgrade from an older version, that
-- version's replicas declare without keeping it: a cluster's size is then stale until its next declaration. The
-- scheduler only estimates with it; every declaration is checked against the bundle it renders.
CREATE TABLE bundle_size (
    cluster_id   TEXT   PRIMARY KEY,
    bundle_bytes BIGINT NOT NULL  -- the sum of workload_cluster.bundle_bytes of the cluster
);

INSERT INTO bundle_size (cluster_id, bundle_bytes)
SELECT cluster_id, SUM(bundle_bytes) FROM workload_cluster GROUP BY cluster_id HAVING SUM(bundle_bytes) > 0;
