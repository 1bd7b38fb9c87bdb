-- A workspace's work policy (stream `work-policy-<workspace>`); no row: the default.
CREATE TABLE "work_policies" (
    "workspace_id" UUID NOT NULL,
    "lapsed_claims" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "updated_at" TIMESTAMPTZ(6) NOT NULL,
    CONSTRAINT "work_policies_pkey" PRIMARY KEY ("workspace_id")
);

-- Whether an agent is heartbeating (its last status was not offline or inactive): while it is,
-- the lease sweeper keeps its claims' leases from running out.
ALTER TABLE "agents" ADD COLUMN "online" BOOLEAN NOT NULL DEFAULT false;
