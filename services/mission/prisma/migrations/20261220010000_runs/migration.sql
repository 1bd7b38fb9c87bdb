-- Runs (PRODUCT M9): one row per run with its totals, kept by the run projection on the append's
-- transaction; `version` is the run stream's version last applied.
CREATE TABLE "runs" (
    "id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "mission_id" UUID NOT NULL,
    "agent_id" TEXT NOT NULL,
    "adapter" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "billing" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "summary" TEXT NOT NULL DEFAULT '',
    "input_tokens" BIGINT NOT NULL DEFAULT 0,
    "output_tokens" BIGINT NOT NULL DEFAULT 0,
    "cached_input_tokens" BIGINT NOT NULL DEFAULT 0,
    "cost_micro_usd" BIGINT NOT NULL DEFAULT 0,
    "unpriced_reports" INTEGER NOT NULL DEFAULT 0,
    "log_lines" INTEGER NOT NULL DEFAULT 0,
    "started_at" TIMESTAMPTZ(6) NOT NULL,
    "finished_at" TIMESTAMPTZ(6),
    "updated_at" TIMESTAMPTZ(6) NOT NULL,
    "version" INTEGER NOT NULL,

    CONSTRAINT "runs_pkey" PRIMARY KEY ("id")
);

-- Newest first, per workspace, mission and agent: the three lists a person pages through.
CREATE INDEX "runs_workspace_started_idx" ON "runs"("workspace_id", "started_at" DESC, "id" DESC);
CREATE INDEX "runs_mission_started_idx" ON "runs"("mission_id", "started_at" DESC, "id" DESC);
CREATE INDEX "runs_agent_started_idx" ON "runs"("workspace_id", "agent_id", "started_at" DESC, "id" DESC);

-- A run's log, one row per line in the order accepted (position is 1-based and gapless).
CREATE TABLE "run_log_lines" (
    "run_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "stream" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "logged_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "run_log_lines_pkey" PRIMARY KEY ("run_id", "position"),
    CONSTRAINT "run_log_lines_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "runs"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
