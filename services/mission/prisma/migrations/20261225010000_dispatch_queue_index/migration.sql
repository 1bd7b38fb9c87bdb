-- The dispatch queue (PRODUCT A8): open work in To do by priority, oldest first, so a claim reads
-- the head of each priority instead of sorting the whole queue; and an agent's own assigned work.
CREATE INDEX "missions_open_queue_idx" ON "missions"("workspace_id", "priority", "created_at", "id")
  WHERE "column" = 'todo' AND "claimed_by" IS NULL AND "assignee_agent_id" IS NULL;
CREATE INDEX "missions_assigned_unclaimed_idx" ON "missions"("assignee_agent_id")
  WHERE "claimed_by" IS NULL;
