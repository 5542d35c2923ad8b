-- Custom alert rules (built-in rules live in code and configuration).
CREATE TABLE alert_rule (
    name       TEXT PRIMARY KEY,
    spec       TEXT        NOT NULL, -- the RuleSpec as JSON, re-validated on load
    created_by TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

-- Alert state, one row per fingerprint: the current or last occurrence. "published" is the last state
-- announced on fleet.alerts.v1, so a restarted evaluator neither loses nor re-announces an alert.
CREATE TABLE alert (
    fingerprint     TEXT PRIMARY KEY,
    rule            TEXT             NOT NULL,
    severity        TEXT             NOT NULL,
    cluster         TEXT,
    labels          TEXT             NOT NULL,
    annotations     TEXT             NOT NULL,
    value           DOUBLE PRECISION,
    state           TEXT             NOT NULL,
    active_since    TIMESTAMPTZ      NOT NULL,
    fired_at        TIMESTAMPTZ,
    resolved_at     TIMESTAMPTZ,
    published       TEXT,
    silenced_by     TEXT             NOT NULL,
    inhibited_by    TEXT             NOT NULL,
    acknowledged_by TEXT,
    acknowledged_at TIMESTAMPTZ,
    updated_at      TIMESTAMPTZ      NOT NULL
);
CREATE INDEX alert_by_state ON alert (state, active_since DESC);

CREATE TABLE silence (
    id         TEXT PRIMARY KEY,
    matchers   TEXT        NOT NULL,
    starts_at  TIMESTAMPTZ NOT NULL,
    ends_at    TIMESTAMPTZ NOT NULL,
    created_by TEXT        NOT NULL,
    comment    TEXT,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX silence_by_end ON silence (ends_at);

-- The audit index: every service's records from fleet.audit.v1, once each (the record id is the key).
CREATE TABLE audit_entry (
    id             TEXT PRIMARY KEY,
    event_id       TEXT        NOT NULL,
    actor_type     TEXT        NOT NULL,
    actor          TEXT        NOT NULL,
    action         TEXT        NOT NULL,
    target_kind    TEXT        NOT NULL,
    target_name    TEXT        NOT NULL,
    cluster        TEXT,
    outcome        TEXT        NOT NULL,
    correlation_id TEXT,
    service        TEXT,
    at             TIMESTAMPTZ NOT NULL,
    details        TEXT        NOT NULL
);
CREATE INDEX audit_entry_by_time ON audit_entry (at DESC, id DESC);
CREATE INDEX audit_entry_by_actor ON audit_entry (actor, at DESC);
CREATE INDEX audit_entry_by_cluster ON audit_entry (cluster, at DESC);
CREATE INDEX audit_entry_by_target ON audit_entry (target_name, at DESC);
CREATE INDEX audit_entry_by_action ON audit_entry (action, at DESC);
