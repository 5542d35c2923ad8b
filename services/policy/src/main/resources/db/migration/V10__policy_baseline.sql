-- Policy's own tables arrive with the issue that builds the policy service.
-- This baseline only records that the schema belongs to the policy service.
COMMENT ON SCHEMA ${flyway:defaultSchema} IS 'Meridian policy service: policies, waivers and compliance state';
