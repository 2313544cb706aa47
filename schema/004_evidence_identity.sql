-- pedigree case database, version 4: evidence identity (docs/lineage.md, "Evidence identity").
--
-- A capture is the same evidence when its content is the same: the sha256 of the decompressed
-- byte stream, not of the file. The same capture gzipped, copied or cut short is recognised; a
-- file that repeats content already in the case gets a captures row of its own that says so
-- (outcome) and adds no process or exec rows.

ALTER TABLE captures ADD COLUMN content_sha256 TEXT;       -- hex sha256 of the decompressed content (equals sha256 for a plain file)
ALTER TABLE captures ADD COLUMN content_bytes INTEGER;     -- length of the decompressed content
ALTER TABLE captures ADD COLUMN content_checkpoints BLOB;  -- sha256 of content[0:k] for k = 4 KiB, then every 64 KiB: 32 bytes each, in order
ALTER TABLE captures ADD COLUMN outcome TEXT;              -- 'imported'; 'same content as capture N', 'prefix of capture N' (no rows added); 'extends capture N' (its rows replace N's)
ALTER TABLE captures ADD COLUMN same_as_capture_id INTEGER REFERENCES captures(capture_id); -- the capture whose content this one repeats, or whose rows it replaced

CREATE INDEX captures_content ON captures(content_sha256);
