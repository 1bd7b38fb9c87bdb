-- The event backbone of one service schema (applied with search_path set to it): the append-only
-- event log, which is also the relay's outbox, the relays' checkpoints and the consumers' inbox.
-- Exactly what the services' 20261122000000_init and 20261122010000_event_backbone migrations
-- created, written to be a no-op where they already ran (IF NOT EXISTS, OR REPLACE).

CREATE TABLE IF NOT EXISTS "events" (
    "position" BIGSERIAL NOT NULL,
    "stream_id" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "payload" BYTEA NOT NULL,
    "metadata" JSONB NOT NULL,
    "recorded_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "events_pkey" PRIMARY KEY ("position")
);

CREATE UNIQUE INDEX IF NOT EXISTS "events_stream_id_version_key" ON "events"("stream_id", "version");

ALTER TABLE "events" ADD COLUMN IF NOT EXISTS "event_id" UUID NOT NULL,
ADD COLUMN IF NOT EXISTS "hash" BYTEA NOT NULL,
ADD COLUMN IF NOT EXISTS "transaction_id" xid8 NOT NULL DEFAULT pg_current_xact_id();

CREATE TABLE IF NOT EXISTS "relay_checkpoints" (
    "relay" TEXT NOT NULL,
    "transaction_id" xid8 NOT NULL,
    "position" BIGINT NOT NULL,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "relay_checkpoints_pkey" PRIMARY KEY ("relay")
);

CREATE TABLE IF NOT EXISTS "inbox" (
    "consumer" TEXT NOT NULL,
    "event_id" UUID NOT NULL,
    "outcome" TEXT NOT NULL,
    "processed_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "inbox_pkey" PRIMARY KEY ("consumer","event_id")
);

CREATE UNIQUE INDEX IF NOT EXISTS "events_event_id_key" ON "events"("event_id");

CREATE INDEX IF NOT EXISTS "events_relay_order_idx" ON "events"("transaction_id", "position");

-- The event log is append-only: history is corrected by new events, never by edits.
CREATE OR REPLACE FUNCTION "events_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the event log is append-only: % on %.% refused', TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE OR REPLACE TRIGGER "events_no_update_or_delete" BEFORE UPDATE OR DELETE ON "events"
  FOR EACH ROW EXECUTE FUNCTION "events_refuse_change"();
CREATE OR REPLACE TRIGGER "events_no_truncate" BEFORE TRUNCATE ON "events"
  FOR EACH STATEMENT EXECUTE FUNCTION "events_refuse_change"();

-- Wakes the relay when a transaction that appended events commits (NOTIFY is delivered on commit).
CREATE OR REPLACE FUNCTION "events_notify_relay"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify(TG_TABLE_SCHEMA || '_events', '');
  RETURN NULL;
END;
$$;

CREATE OR REPLACE TRIGGER "events_wake_relay" AFTER INSERT ON "events"
  FOR EACH STATEMENT EXECUTE FUNCTION "events_notify_relay"();
