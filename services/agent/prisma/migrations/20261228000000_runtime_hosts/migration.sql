-- Runtime hosts (PRODUCT A7): the servers and containers runners report, kept from the host
-- streams' events on the append's transaction. `version` is the host stream's version applied.
CREATE TABLE "hosts" (
    "id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "host_key" TEXT NOT NULL,
    "hostname" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "os" TEXT NOT NULL,
    "arch" TEXT NOT NULL,
    "cpu_count" INTEGER NOT NULL,
    "memory_bytes" BIGINT NOT NULL,
    "runner_version" TEXT NOT NULL,
    "container_status" TEXT,
    -- The latest sample (HostSampled); null until the first.
    "last_sample_at" TIMESTAMPTZ(6),
    "cpu_percent" DOUBLE PRECISION,
    "memory_used_bytes" BIGINT,
    "disk_used_bytes" BIGINT,
    "disk_total_bytes" BIGINT,
    "version" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "hosts_pkey" PRIMARY KEY ("id")
);

-- One host per key in a workspace; the list is by hostname.
CREATE UNIQUE INDEX "hosts_workspace_id_host_key_key" ON "hosts"("workspace_id", "host_key");
CREATE INDEX "hosts_workspace_id_hostname_id_idx" ON "hosts"("workspace_id", "hostname", "id");

-- The host each agent is on (AgentPlacedOnHost): one at most.
CREATE TABLE "agent_hosts" (
    "agent_id" UUID NOT NULL,
    "host_id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "placed_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "agent_hosts_pkey" PRIMARY KEY ("agent_id")
);

CREATE INDEX "agent_hosts_host_id_idx" ON "agent_hosts"("host_id");

-- Samples counted per host in fixed one-minute windows, as heartbeats are per agent.
CREATE TABLE "host_sample_counters" (
    "host_id" UUID NOT NULL,
    "window_start" TIMESTAMPTZ(6) NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "host_sample_counters_pkey" PRIMARY KEY ("host_id", "window_start")
);
