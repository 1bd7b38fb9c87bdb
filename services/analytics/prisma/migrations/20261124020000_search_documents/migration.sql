-- The search index in Postgres (standalone mode): one row per search document, keyed like the
-- Elasticsearch documents ("mission:<id>", "comment:<id>") and guarded by their stream version.

-- array_to_string is only STABLE (it is generic over element types); for text[] the result is
-- fixed, and a generated column needs an IMMUTABLE expression.
CREATE FUNCTION "search_words"(words TEXT[]) RETURNS TEXT
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT array_to_string(words, ' ') $$;

-- CreateTable
CREATE TABLE "search_documents" (
    "id" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "workspace_id" TEXT NOT NULL,
    "mission_id" TEXT NOT NULL,
    "comment_id" TEXT,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "tag_text" TEXT[],
    "tags" TEXT[],
    "column" TEXT NOT NULL,
    "priority" TEXT NOT NULL,
    "assignee_agent_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    -- 'simple' (lower-case, no stemming, no stop words) is what the Elasticsearch `standard`
    -- analyzer does. Weights follow its boosts: title A (^3), tags B (^2), description and
    -- body C and D, ranked alike. A comment's title is its mission's: shown, never searched.
    "search_vector" tsvector NOT NULL GENERATED ALWAYS AS (
      setweight(to_tsvector('simple'::regconfig, CASE WHEN "kind" = 'mission' THEN "title" ELSE '' END), 'A') ||
      setweight(to_tsvector('simple'::regconfig, coalesce("search_words"("tag_text"), '')), 'B') ||
      setweight(to_tsvector('simple'::regconfig, "description"), 'C') ||
      setweight(to_tsvector('simple'::regconfig, "body"), 'D')
    ) STORED,

    CONSTRAINT "search_documents_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "search_documents_search_vector_idx" ON "search_documents" USING GIN ("search_vector");

-- CreateIndex
CREATE INDEX "search_documents_workspace_id_created_at_idx" ON "search_documents"("workspace_id", "created_at");
