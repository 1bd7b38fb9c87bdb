-- When the current claim was made: news that its agent went offline before then is about an
-- earlier claim, and does not end this one.
ALTER TABLE "missions" ADD COLUMN "claimed_at" TIMESTAMPTZ(6);
