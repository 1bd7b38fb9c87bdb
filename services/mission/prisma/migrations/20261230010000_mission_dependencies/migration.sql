-- Dependencies (PRODUCT M4): `mission_id` waits for `blocker_id`, both of `workspace_id`. Kept by
-- the mission projection from MissionDependencyAdded/Removed on the append's transaction.
CREATE TABLE "mission_dependencies" (
    "mission_id" UUID NOT NULL,
    "blocker_id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "mission_dependencies_pkey" PRIMARY KEY ("mission_id","blocker_id")
);

-- The dependants of a mission: readiness when it is done, and `blocks`.
CREATE INDEX "mission_dependencies_blocker_id_idx" ON "mission_dependencies"("blocker_id");
