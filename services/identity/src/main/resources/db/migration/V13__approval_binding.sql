-- An approval binds to what was approved: the grant's subject, role content, scope and namespaces as one digest, and
-- the template hash the approver saw. A template change re-opens the grant (back to Pending) and records who changed it,
-- who may then not approve it. Grants approved before this migration have no digest; their next template change
-- re-opens them.
ALTER TABLE access_grant
    ADD COLUMN approved_digest        TEXT,
    ADD COLUMN approved_template_hash TEXT,
    ADD COLUMN reopened_by            TEXT,
    ADD COLUMN reopened_at            TIMESTAMPTZ;
CREATE INDEX access_grant_role ON access_grant (role) WHERE state IN ('Active', 'Pending');
