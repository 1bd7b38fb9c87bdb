-- Wake hooks (PRODUCT A8): an agent's wake URL, kept from its AgentWakeHookSet/Removed events.
CREATE TABLE "wake_hooks" (
    "agent_id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "url" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "wake_hooks_pkey" PRIMARY KEY ("agent_id")
);

CREATE INDEX "wake_hooks_workspace_id_idx" ON "wake_hooks"("workspace_id");

-- The signing secret of each hook: state of its own, never in an event (it cannot be replayed).
CREATE TABLE "wake_hook_secrets" (
    "agent_id" UUID NOT NULL,
    "secret" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "wake_hook_secrets_pkey" PRIMARY KEY ("agent_id")
);

-- One wake to deliver to an agent's hook: queued (never sent), sending (claimed by a worker until
-- next_attempt_at), retrying (waiting for next_attempt_at), then delivered, failed, superseded (a
-- later wake of the agent was delivered) or cancelled (the hook was removed).
CREATE TABLE "wake_deliveries" (
    "id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "agent_id" UUID NOT NULL,
    "reason" TEXT NOT NULL,
    "mission_id" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    -- When the wake it carries happened (the latest, when wakes were coalesced into it).
    "woken_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_attempt_at" TIMESTAMPTZ(6),
    "last_status_code" INTEGER,
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "wake_deliveries_pkey" PRIMARY KEY ("id")
);

-- Coalescing: at most one wake waiting to be sent per agent; later wakes replace its reason.
CREATE UNIQUE INDEX "wake_deliveries_one_queued_idx" ON "wake_deliveries"("agent_id") WHERE "status" = 'queued';
-- At most one wake waiting to be retried per agent.
CREATE UNIQUE INDEX "wake_deliveries_one_retrying_idx" ON "wake_deliveries"("agent_id") WHERE "status" = 'retrying';
-- What the workers claim.
CREATE INDEX "wake_deliveries_due_idx" ON "wake_deliveries"("next_attempt_at") WHERE "status" IN ('queued', 'sending', 'retrying');
-- An agent's latest delivery.
CREATE INDEX "wake_deliveries_agent_id_created_at_idx" ON "wake_deliveries"("agent_id", "created_at");
-- Pruning finished deliveries.
CREATE INDEX "wake_deliveries_finished_idx" ON "wake_deliveries"("updated_at") WHERE "status" IN ('delivered', 'failed', 'superseded', 'cancelled');
