-- The metrics time series in Postgres (standalone mode): one table per InfluxDB measurement, one
-- row per point, keyed by the point's series (its tags) and timestamp as InfluxDB identifies it,
-- so a redelivered point overwrites itself. Reads are of one workspace over a time range.

-- CreateTable
CREATE TABLE "metric_agent_status" (
    "workspace_id" TEXT NOT NULL,
    "agent_id" TEXT NOT NULL,
    "timestamp_ns" BIGINT NOT NULL,
    "time" TIMESTAMPTZ(3) NOT NULL,
    "status" TEXT NOT NULL,
    "previous_status" TEXT,
    "previous_seconds" DOUBLE PRECISION,

    CONSTRAINT "metric_agent_status_pkey" PRIMARY KEY ("workspace_id","agent_id","timestamp_ns")
);

-- CreateTable
CREATE TABLE "metric_mission_flow" (
    "workspace_id" TEXT NOT NULL,
    "mission_id" TEXT NOT NULL,
    "timestamp_ns" BIGINT NOT NULL,
    "time" TIMESTAMPTZ(3) NOT NULL,
    "created" INTEGER,
    "done" INTEGER,
    "cycle_time_seconds" DOUBLE PRECISION,

    CONSTRAINT "metric_mission_flow_pkey" PRIMARY KEY ("workspace_id","mission_id","timestamp_ns")
);

-- CreateIndex
CREATE INDEX "metric_agent_status_workspace_id_time_idx" ON "metric_agent_status"("workspace_id", "time");

-- CreateIndex
CREATE INDEX "metric_mission_flow_workspace_id_time_idx" ON "metric_mission_flow"("workspace_id", "time");
