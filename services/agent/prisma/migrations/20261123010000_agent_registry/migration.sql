-- CreateTable
CREATE TABLE "agents" (
    "id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "capabilities" TEXT[],
    "config" JSONB NOT NULL DEFAULT '{}',
    "model" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "activity" TEXT,
    "last_heartbeat_at" TIMESTAMPTZ(6),
    "activated_at" TIMESTAMPTZ(6),
    "version" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "agents_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "heartbeat_counters" (
    "agent_id" UUID NOT NULL,
    "window_start" TIMESTAMPTZ(6) NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "heartbeat_counters_pkey" PRIMARY KEY ("agent_id","window_start")
);

-- CreateIndex
CREATE INDEX "agents_workspace_id_name_idx" ON "agents"("workspace_id", "name");

-- CreateIndex
CREATE INDEX "agents_status_last_heartbeat_at_idx" ON "agents"("status", "last_heartbeat_at");

