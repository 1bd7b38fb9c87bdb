-- AlterTable
ALTER TABLE "invitations" ADD COLUMN "revoked_at" TIMESTAMPTZ(6);
