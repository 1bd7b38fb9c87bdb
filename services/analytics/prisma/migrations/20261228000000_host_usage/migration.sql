-- Runtime hosts' samples (PRODUCT A7) for the Postgres metrics adapter: one row per host_usage
-- point, as InfluxDB keeps them in production.
CREATE TABLE "metric_host_usage" (
    "workspace_id" TEXT NOT NULL,
    "host_id" TEXT NOT NULL,
    "timestamp_ns" BIGINT NOT NULL,
    "time" TIMESTAMPTZ(3) NOT NULL,
    "cpu_percent" DOUBLE PRECISION,
    "memory_used_bytes" DOUBLE PRECISION,
    "memory_total_bytes" DOUBLE PRECISION,
    "disk_used_bytes" DOUBLE PRECISION,
    "disk_total_bytes" DOUBLE PRECISION,

    CONSTRAINT "metric_host_usage_pkey" PRIMARY KEY ("workspace_id","host_id","timestamp_ns")
);

-- A host's samples over a range.
CREATE INDEX "metric_host_usage_workspace_id_host_id_time_idx" ON "metric_host_usage"("workspace_id", "host_id", "time");
