-- When a key's last counted attempt was: past the free attempts, an account's next attempt waits a
-- delay that doubles with each failure, measured from here.
ALTER TABLE "login_attempts" ADD COLUMN "last_attempt_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP;
