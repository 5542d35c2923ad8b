-- Receivers: the kind and its settings as JSON without the secret; the secret (webhook or Slack URL, PagerDuty
-- routing key, SMTP password) only encrypted, AES-256-GCM bound to the receiver's name:
-- v1:<keyId>:<base64 nonce>:<base64 ciphertext+tag>, as inventory stores cluster credentials.
CREATE TABLE notification_receiver (
    name       TEXT PRIMARY KEY,
    kind       TEXT        NOT NULL CHECK (kind IN ('webhook', 'slack', 'pagerduty', 'email')),
    config     TEXT        NOT NULL,
    secret     TEXT,
    updated_by TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

-- The route tree: one row, the RouteSpec as JSON, re-validated on load.
CREATE TABLE notification_route (
    id         SMALLINT PRIMARY KEY CHECK (id = 1),
    spec       TEXT        NOT NULL,
    updated_by TEXT        NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

-- The last state fleet.alerts.v1 announced per alert, as notifications see it (pending is never stored).
CREATE TABLE notification_alert (
    fingerprint TEXT PRIMARY KEY,
    state       TEXT        NOT NULL CHECK (state IN ('firing', 'resolved')),
    labels      TEXT        NOT NULL,
    annotations TEXT        NOT NULL,
    starts_at   TIMESTAMPTZ NOT NULL,
    ends_at     TIMESTAMPTZ,
    updated_at  TIMESTAMPTZ NOT NULL
);

-- The planner's memory per group, written in the same transaction as the notifications it planned.
CREATE TABLE notification_group (
    receiver     TEXT        NOT NULL,
    group_key    TEXT        NOT NULL,
    group_labels TEXT        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    last_sent_at TIMESTAMPTZ,
    last_firing  TEXT        NOT NULL,
    repeats      INTEGER     NOT NULL,
    PRIMARY KEY (receiver, group_key)
);

-- The delivery queue and log, one row per notification: the dedup key is its content's hash, so planning or
-- replaying it again inserts nothing. last_error never holds a secret (reasons name the receiver, not its URL).
CREATE TABLE notification_delivery (
    dedup_key       TEXT PRIMARY KEY,
    receiver        TEXT        NOT NULL,
    group_key       TEXT        NOT NULL,
    notification    TEXT        NOT NULL, -- firing or resolved
    payload         TEXT        NOT NULL, -- the Notification as JSON
    status          TEXT        NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts        INTEGER     NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    last_error      TEXT,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX notification_delivery_due ON notification_delivery (receiver, next_attempt_at) WHERE status = 'pending';
CREATE INDEX notification_delivery_by_time ON notification_delivery (created_at DESC, dedup_key DESC);

-- Which alerts each notification carried, for the delivery log's ?alert= filter.
CREATE TABLE notification_delivery_alert (
    fingerprint TEXT NOT NULL,
    dedup_key   TEXT NOT NULL REFERENCES notification_delivery (dedup_key) ON DELETE CASCADE,
    PRIMARY KEY (fingerprint, dedup_key)
);
