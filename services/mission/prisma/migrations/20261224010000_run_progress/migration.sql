-- A run's latest progress note, and how far along its agent said it was.
ALTER TABLE "runs" ADD COLUMN "progress_note" TEXT NOT NULL DEFAULT '';
ALTER TABLE "runs" ADD COLUMN "progress_percent" INTEGER;
