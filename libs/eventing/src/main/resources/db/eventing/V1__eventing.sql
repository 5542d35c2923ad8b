-- Shared by every service (libs/eventing). Service migrations start at V10.

-- Transactional outbox: a service writes its events here in the same transaction as the change they
-- describe; the relay publishes them to Kafka in id order and deletes what the broker acknowledged.
CREATE TABLE outbox (
    id            BIGSERIAL PRIMARY KEY,
    topic         TEXT        NOT NULL,
    record_key    TEXT        NOT NULL,
    ce_id         TEXT        NOT NULL,
    ce_type       TEXT        NOT NULL,
    ce_source     TEXT        NOT NULL,
    ce_subject    TEXT,
    ce_time       TIMESTAMPTZ NOT NULL,
    ce_dataschema TEXT,
    payload       BYTEA,        -- NULL is a Kafka tombstone
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Wakes the relay as soon as a transaction that wrote events commits (NOTIFY is transactional).
CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('meridian_outbox', '');
    RETURN NULL;
END
$$;

CREATE TRIGGER outbox_inserted AFTER INSERT ON outbox
    FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();

-- Idempotent consumers: an event id is recorded in the same transaction as its effect.
CREATE TABLE processed_event (
    consumer     TEXT        NOT NULL,
    event_id     TEXT        NOT NULL,
    processed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);

CREATE INDEX processed_event_age ON processed_event (processed_at);
