-- Claims with leases (PRODUCT M16): each claim's fencing epoch and when its lease runs out. Leases
-- are renewed here without an event; their end (MissionReleased) is an event.
ALTER TABLE "missions" ADD COLUMN "claim_epoch" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "missions" ADD COLUMN "lease_expires_at" TIMESTAMPTZ(6);

-- The sweeper's question: which leases have run out (only claimed missions have one).
CREATE INDEX "missions_lease_expiry_idx" ON "missions"("lease_expires_at") WHERE "lease_expires_at" IS NOT NULL;

-- The claim a run works under: when it ends, so does the run.
ALTER TABLE "runs" ADD COLUMN "claim_epoch" INTEGER NOT NULL DEFAULT 0;

-- Runs still going, by mission: what ends with a claim, and what the sweeper reconciles.
CREATE INDEX "runs_running_idx" ON "runs"("mission_id") WHERE "status" = 'running';
