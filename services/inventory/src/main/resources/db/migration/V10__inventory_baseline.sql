-- Inventory's own tables arrive with the cluster registry (inventory part 1).
-- This baseline only records that the schema belongs to the inventory service.
COMMENT ON SCHEMA ${flyway:defaultSchema} IS 'Meridian inventory service: cluster registry and observed state';
