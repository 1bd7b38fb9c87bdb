-- CreateTable
CREATE TABLE "mission_states" (
    "consumer" TEXT NOT NULL,
    "mission_id" TEXT NOT NULL,
    "workspace_id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "priority" TEXT NOT NULL,
    "tags" TEXT[],
    "column" TEXT NOT NULL,
    "assignee_agent_id" TEXT,
    "claimed_by" TEXT,
    "created_by" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "first_in_progress_at" TIMESTAMPTZ(3),

    CONSTRAINT "mission_states_pkey" PRIMARY KEY ("consumer","mission_id")
);

-- CreateTable
CREATE TABLE "comment_states" (
    "consumer" TEXT NOT NULL,
    "comment_id" TEXT NOT NULL,
    "mission_id" TEXT NOT NULL,
    "workspace_id" TEXT NOT NULL,
    "author" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "comment_states_pkey" PRIMARY KEY ("consumer","comment_id")
);

-- CreateTable
CREATE TABLE "agent_states" (
    "consumer" TEXT NOT NULL,
    "agent_id" TEXT NOT NULL,
    "workspace_id" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "since" TIMESTAMPTZ(3) NOT NULL,
    "version" INTEGER NOT NULL,

    CONSTRAINT "agent_states_pkey" PRIMARY KEY ("consumer","agent_id")
);

-- CreateIndex
CREATE INDEX "comment_states_consumer_mission_id_idx" ON "comment_states"("consumer", "mission_id");

