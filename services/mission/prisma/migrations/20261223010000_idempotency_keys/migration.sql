-- Agent writes with an idempotency key (PRODUCT M16): the first answer of each key, kept for a
-- day, written on the transaction of the write it answers, so a retried call is never done twice.
CREATE TABLE "idempotency_keys" (
    "actor" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "workspace_id" UUID NOT NULL,
    "operation" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "result" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "idempotency_keys_pkey" PRIMARY KEY ("actor", "key")
);

-- What the sweep forgets: keys older than a day.
CREATE INDEX "idempotency_keys_created_idx" ON "idempotency_keys"("created_at");
