-- CreateTable
CREATE TABLE "missions" (
    "id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "priority" TEXT NOT NULL,
    "tags" TEXT[],
    "column" TEXT NOT NULL,
    "rank" TEXT NOT NULL,
    "assignee_agent_id" TEXT,
    "claimed_by" TEXT,
    "created_by" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL,
    "updated_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "missions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "comments" (
    "id" UUID NOT NULL,
    "mission_id" UUID NOT NULL,
    "workspace_id" UUID NOT NULL,
    "author" TEXT NOT NULL,
    "author_kind" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "mentions" TEXT[],
    "created_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "comments_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "missions_workspace_id_column_idx" ON "missions"("workspace_id", "column");

-- CreateIndex
CREATE INDEX "comments_mission_id_created_at_idx" ON "comments"("mission_id", "created_at");

-- AddForeignKey
ALTER TABLE "comments" ADD CONSTRAINT "comments_mission_id_fkey" FOREIGN KEY ("mission_id") REFERENCES "missions"("id") ON DELETE CASCADE ON UPDATE CASCADE;
