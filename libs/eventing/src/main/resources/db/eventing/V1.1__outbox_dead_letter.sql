-- Outbox rows Kafka refused for what they are (too large for the topic, an invalid topic): the relay moves such a
-- row here with the broker's reason instead of waiting on it forever, so every later event still goes out in order.
-- To publish one after fixing the cause (e.g. raising the topic's max.message.bytes), insert it back into outbox.
CREATE TABLE outbox_dead_letter (
    id               BIGINT      PRIMARY KEY,  -- the row's id in outbox, kept to tell where it stood
    topic            TEXT        NOT NULL,
    record_key       TEXT        NOT NULL,
    ce_id            TEXT        NOT NULL,
    ce_type          TEXT        NOT NULL,
    ce_source        TEXT        NOT NULL,
    ce_subject       TEXT,
    ce_time          TIMESTAMPTZ NOT NULL,
    ce_dataschema    TEXT,
    payload          BYTEA,
    created_at       TIMESTAMPTZ NOT NULL,
    record_bytes     INTEGER     NOT NULL,     -- the record's size as the producer counts it
    reason           TEXT        NOT NULL,
    dead_lettered_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
