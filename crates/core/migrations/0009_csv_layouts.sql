-- Named CSV layouts: how the columns of a tracker's CSV export map to
-- Timebridge's fields, with the file's delimiter and date, time and
-- duration formats. The layout is one JSON value; its name is unique in
-- any case ("Crew export" and "crew export" are one layout).
CREATE TABLE csv_layouts (
    name        TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
    layout      TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL
) WITHOUT ROWID;
