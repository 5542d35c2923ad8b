-- Cost's own tables arrive with the issue that builds the cost service.
-- This baseline only records that the schema belongs to the cost service.
COMMENT ON SCHEMA ${flyway:defaultSchema} IS 'Meridian cost service: price catalog, allocations and budgets';
