-- Sub-agents (PRODUCT A4): a child's parent and when its time to live ends, from SubAgentSpawned.
ALTER TABLE "agents" ADD COLUMN "parent_agent_id" UUID;
ALTER TABLE "agents" ADD COLUMN "expires_at" TIMESTAMPTZ(6);

-- A parent's children (the roster's tree, the live-children limit).
CREATE INDEX "agents_parent_agent_id_idx" ON "agents"("parent_agent_id");

-- What the sub-agent sweeper looks at: children still in service.
CREATE INDEX "agents_live_sub_agents_idx" ON "agents"("expires_at")
    WHERE "parent_agent_id" IS NOT NULL AND "status" <> 'inactive';
