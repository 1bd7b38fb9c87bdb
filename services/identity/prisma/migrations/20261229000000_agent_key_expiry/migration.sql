-- A key that stops working by itself (a sub-agent's, PRODUCT A4), from AgentKeyIssued; null when
-- it never expires, as for every key issued before.
ALTER TABLE "agent_keys" ADD COLUMN "expires_at" TIMESTAMPTZ(6);
