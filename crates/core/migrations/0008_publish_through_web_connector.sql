-- Publishing into a target that holds each line as one record of its own
-- (QuickBooks Desktop's time-tracking transactions), where a correction
-- changes or deletes that record instead of sending the difference.

-- What the target should hold for the line once this one is accepted (the
-- hours accepted before plus this line's), and the target's record of the
-- line as the last accepted publication left it: its id and edit sequence.
ALTER TABLE publication_lines ADD COLUMN holds_seconds INTEGER;
ALTER TABLE publication_lines ADD COLUMN earlier_remote_id TEXT;
ALTER TABLE publication_lines ADD COLUMN earlier_edit_sequence TEXT;
-- The target's edit sequence of the record this line made or changed.
ALTER TABLE publication_lines ADD COLUMN edit_sequence TEXT;

-- How many times a publication was handed to the target (the Web
-- Connector's updates). Once handed over, what the target holds is asked
-- before anything of it is sent again.
ALTER TABLE publications ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
