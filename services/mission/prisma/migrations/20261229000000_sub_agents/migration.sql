-- Sub-agents (PRODUCT A4): the roster learns each child's parent from SubAgentSpawned, so the
-- budgets of the parent count the child's runs.
ALTER TABLE "agents" ADD COLUMN "parent_agent_id" UUID;

CREATE INDEX "agents_parent_agent_id_idx" ON "agents"("parent_agent_id");
