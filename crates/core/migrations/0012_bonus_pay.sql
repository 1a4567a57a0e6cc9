-- Approved bonuses are paid through payroll: a publication line is either
-- hours (`seconds`) or an amount (`cents`, a worker's share of a bonus,
-- with the bonus it pays). `holds_cents` is what the target holds for the
-- line once it is accepted, as `holds_seconds` is for hours.
ALTER TABLE publication_lines ADD COLUMN cents INTEGER NOT NULL DEFAULT 0;
ALTER TABLE publication_lines ADD COLUMN holds_cents INTEGER NOT NULL DEFAULT 0;
ALTER TABLE publication_lines ADD COLUMN bonus_id INTEGER REFERENCES bonuses(id) ON DELETE RESTRICT;
CREATE INDEX publication_lines_bonus ON publication_lines(bonus_id) WHERE bonus_id IS NOT NULL;

-- Who marked a bonus paid, and how, when it was paid outside Timebridge
-- (entered by hand on a paycheck where the target takes no amounts);
-- a bonus paid by a publication names it in `publication_id` instead.
ALTER TABLE bonuses ADD COLUMN paid_by TEXT;
ALTER TABLE bonuses ADD COLUMN paid_note TEXT;
