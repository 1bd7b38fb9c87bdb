-- The board reads each column in rank order (byte-wise, COLLATE "C"), then id: the first page of
-- every column and keyset pages after a (rank, id) cursor are index range scans in this order,
-- whatever the database's default collation. It also serves everything the (workspace_id, column)
-- index did, which it replaces.
CREATE INDEX "missions_board_order_idx" ON "missions"("workspace_id", "column", "rank" COLLATE "C", "id");

DROP INDEX "missions_workspace_id_column_idx";
