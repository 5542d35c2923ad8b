-- Identity's own tables arrive with the issue that builds the identity service.
-- This baseline only records that the schema belongs to the identity service.
COMMENT ON SCHEMA ${flyway:defaultSchema} IS 'Meridian identity service: access grants and their RBAC bundles';
