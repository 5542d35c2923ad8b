-- Observability's own tables arrive with the issue that builds the observability service.
-- This baseline only records that the schema belongs to the observability service.
COMMENT ON SCHEMA ${flyway:defaultSchema} IS 'Meridian observability service: alert rules, alert state and the audit index';
