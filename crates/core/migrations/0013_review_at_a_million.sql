-- Review at a million rows: a full-text index of the staged records, and an
-- index for each column a staged list sorts by, so a search or a sorted page
-- reads only what it shows (see middleware::staged_list).

-- The words of each staged record, for search: its label (a name, or
-- "employee · date"), its id at the source and its notes; the records it
-- names (employee, job, task) as reference tokens, so a time entry is found
-- by its job's or task's name as they are now; and its integration and
-- module as one token ("m3timeentries"), so a search and its count are
-- answered from this index alone. Contentless:
-- the text lives in staged_records, only the index is kept here. The rowid
-- is the staged record's id.
CREATE VIRTUAL TABLE staged_search USING fts5(
    words, refs, kind,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);

-- A reference token: the referring field's letter and the hex of the id at
-- the source (one token, whatever characters the platform's ids hold).
-- staged_list::reference_token builds the same from Rust.
--
-- Rows are indexed by staged::apply_serialized, one statement for a whole
-- page (staged_search::INDEX_ROWS, the same expressions as below), or
-- queued and indexed at the end of a sync's list: FTS5 takes many rows in
-- one insert five times faster than row by row from a trigger, which would
-- have cost the sync four fifths of its speed. A deleted record leaves the
-- index by trigger (deletes are rare).
-- Records a sync's pages wrote, waiting to be indexed at the end of the
-- list they came in (staged::index_queued): FTS5 takes a whole list in one
-- transaction far faster than a page per transaction. Until then a search
-- does not find them.
CREATE TABLE staged_search_queue (id INTEGER PRIMARY KEY);

CREATE TRIGGER staged_search_delete AFTER DELETE ON staged_records BEGIN
    DELETE FROM staged_search WHERE rowid = old.id;
END;

INSERT INTO staged_search (rowid, words, refs, kind)
SELECT id,
       label || ' ' || external_id || ' ' || coalesce(json_extract(data, '$.notes'), ''),
       'e' || hex(coalesce(json_extract(data, '$.employee_external_id'), ''))
           || ' j' || hex(coalesce(json_extract(data, '$.job_external_id'), ''))
           || ' t' || hex(coalesce(json_extract(data, '$.task_external_id'), '')),
       'm' || integration_id || replace(module, '_', '')
FROM staged_records;

-- A list sorted by when the source last changed a record reads its page
-- from this in order (by date, status and id at the source it already did:
-- staged_records_date, _status, _key). It grows at its end as a sync
-- writes, so it costs the sync little. An index by name or by a time
-- entry's length would be written all over at every page a sync commits:
-- measured, together they cost a first sync of 100,000 time entries three
-- fifths of its speed (57,000 records/s to 23,000), so those two sorts
-- still sort the module (docs/review-at-scale.md).
CREATE INDEX staged_records_changed ON staged_records(integration_id, module, changed_at, id);

-- The few records removed at the source, listed on their own.
CREATE INDEX staged_records_removed ON staged_records(integration_id, module, id)
    WHERE removed_at_source = 1;
