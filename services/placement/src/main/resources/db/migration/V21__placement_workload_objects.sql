-- Which live workload declares each (namespace, kind, name): every workload on a cluster shares one bundle and one
-- field manager, so two workloads declaring the same object would silently overwrite each other there. The workload
-- API keeps this table in the transaction of each workload write and refuses a write that would share an object.
CREATE TABLE workload_object (
    namespace TEXT NOT NULL,
    kind      TEXT NOT NULL,
    name      TEXT NOT NULL,
    workload  TEXT NOT NULL REFERENCES workload (name),
    PRIMARY KEY (namespace, kind, name)
);
CREATE INDEX workload_object_workload ON workload_object (workload);

-- The live workloads' objects so far; where two already share one, the first by name keeps it (the API refuses the
-- other's next write until it gives the object up).
INSERT INTO workload_object (namespace, kind, name, workload)
SELECT w.namespace, m.value ->> 'kind', m.value -> 'metadata' ->> 'name', w.name
FROM workload w CROSS JOIN LATERAL jsonb_array_elements(w.spec::jsonb -> 'manifests') AS m
WHERE w.deleted_at IS NULL AND m.value ->> 'kind' IS NOT NULL AND m.value -> 'metadata' ->> 'name' IS NOT NULL
ORDER BY w.name
ON CONFLICT (namespace, kind, name) DO NOTHING;
