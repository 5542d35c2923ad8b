-- The bytes of each cluster's bundle, kept with every declaration of it: the room left in a bundle was a sum over the
-- whole workload_cluster table on every reconcile (100,000 rows for 1,000 workloads on 100 clusters), and is now one
-- row per cluster.
CREATE TABLE bundle_size (
    cluster_id   TEXT   PRIMARY KEY,
    bundle_bytes BIGINT NOT NULL  -- the sum of workload_cluster.bundle_bytes of the cluster
);

INSERT INTO bundle_size (cluster_id, bundle_bytes)
SELECT cluster_id, SUM(bundle_bytes) FROM workload_cluster GROUP BY cluster_id;
