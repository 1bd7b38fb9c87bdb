-- Runs and claims (PRODUCT A6, N1): the projections' state of each run and claim, and the
-- agent_run and agent_response series in Postgres (standalone mode), keyed like the other metric
-- tables so a redelivered point overwrites itself. Runs already consumed before this migration
-- appear after `npm run analytics:rebuild`.

-- AlterTable
ALTER TABLE "mission_states" ADD COLUMN     "assigned_at" TIMESTAMPTZ(3),
ADD COLUMN     "claim_epoch" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "run_states" (
    "consumer" TEXT NOT NULL,
    "run_id" TEXT NOT NULL,
    "workspace_id" TEXT NOT NULL,
    "mission_id" TEXT NOT NULL,
    "agent_id" TEXT NOT NULL,
    "billing" TEXT NOT NULL,
    "claim_epoch" INTEGER NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "first_log_at" TIMESTAMPTZ(3),
    "version" INTEGER NOT NULL,

    CONSTRAINT "run_states_pkey" PRIMARY KEY ("consumer","run_id")
);

-- CreateTable
CREATE TABLE "claim_states" (
    "consumer" TEXT NOT NULL,
    "mission_id" TEXT NOT NULL,
    "epoch" INTEGER NOT NULL,
    "workspace_id" TEXT NOT NULL,
    "agent_id" TEXT,
    "assigned_at" TIMESTAMPTZ(3),
    "claimed_at" TIMESTAMPTZ(3),
    "claim_version" INTEGER,
    "first_output_at" TIMESTAMPTZ(3),

    CONSTRAINT "claim_states_pkey" PRIMARY KEY ("consumer","mission_id","epoch")
);

-- CreateTable
CREATE TABLE "metric_agent_run" (
    "workspace_id" TEXT NOT NULL,
    "agent_id" TEXT NOT NULL,
    "run_id" TEXT NOT NULL,
    "timestamp_ns" BIGINT NOT NULL,
    "time" TIMESTAMPTZ(3) NOT NULL,
    "billing" TEXT NOT NULL,
    "started" INTEGER,
    "finished" INTEGER,
    "succeeded" INTEGER,
    "duration_seconds" DOUBLE PRECISION,
    "input_tokens" BIGINT,
    "output_tokens" BIGINT,
    "cached_input_tokens" BIGINT,
    "cost_micro_usd" BIGINT,
    "unpriced_reports" INTEGER,

    CONSTRAINT "metric_agent_run_pkey" PRIMARY KEY ("workspace_id","agent_id","run_id","timestamp_ns")
);

-- CreateTable
CREATE TABLE "metric_agent_response" (
    "workspace_id" TEXT NOT NULL,
    "agent_id" TEXT NOT NULL,
    "mission_id" TEXT NOT NULL,
    "timestamp_ns" BIGINT NOT NULL,
    "time" TIMESTAMPTZ(3) NOT NULL,
    "claim_seconds" DOUBLE PRECISION,
    "first_output_seconds" DOUBLE PRECISION,
    "response_seconds" DOUBLE PRECISION,

    CONSTRAINT "metric_agent_response_pkey" PRIMARY KEY ("workspace_id","agent_id","mission_id","timestamp_ns")
);

-- CreateIndex
CREATE INDEX "metric_agent_run_workspace_id_time_idx" ON "metric_agent_run"("workspace_id", "time");

-- CreateIndex
CREATE INDEX "metric_agent_response_workspace_id_time_idx" ON "metric_agent_response"("workspace_id", "time");
