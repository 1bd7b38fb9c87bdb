-- Budgets (PRODUCT M17): token and money limits per workspace or agent, per period. The budget
-- row is its aggregate's state; a period row is what that period has spent, with the warning and
-- stop it reached, kept on the transaction of every usage report it counts.
CREATE TABLE "budgets" (
    "id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "agent_id" TEXT,
    "name" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "token_limit" BIGINT,
    "cost_limit_micro_usd" BIGINT,
    "warn_percent" INTEGER NOT NULL,
    "deleted" BOOLEAN NOT NULL DEFAULT false,
    "version" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL,
    "updated_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "budgets_pkey" PRIMARY KEY ("id")
);

-- The budgets a usage report counts against: its workspace's, and its agent's.
CREATE INDEX "budgets_workspace_idx" ON "budgets"("workspace_id", "agent_id") WHERE NOT "deleted";

CREATE TABLE "budget_periods" (
    "budget_id" UUID NOT NULL,
    "period_key" TEXT NOT NULL,
    "tokens" BIGINT NOT NULL DEFAULT 0,
    "cost_micro_usd" BIGINT NOT NULL DEFAULT 0,
    "warned" BOOLEAN NOT NULL DEFAULT false,
    "stopped" BOOLEAN NOT NULL DEFAULT false,
    "resumed" BOOLEAN NOT NULL DEFAULT false,
    "updated_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "budget_periods_pkey" PRIMARY KEY ("budget_id", "period_key"),
    CONSTRAINT "budget_periods_budget_id_fkey" FOREIGN KEY ("budget_id") REFERENCES "budgets"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- The budget whose hard stop cancelled a run.
ALTER TABLE "runs" ADD COLUMN "budget_id" UUID;
