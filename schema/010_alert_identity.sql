-- pedigree case database, version 10: an imported alert's identity in the host-and-time index.
--
-- An alert another capture already brought (an overlapping export) is not stored twice: each
-- imported alert looks for one of the same host, time, rule and output. By host and time alone
-- that look-up read every alert sharing the time, so two exports whose alerts share a time (or
-- have none) imported in quadratic time: 56,000 such alerts took 324 s. output_key narrows it to
-- one index probe; rule and output are still compared, so a key two alerts share costs a row read,
-- never a wrong answer. The index still serves reading a host's alerts in time order.

ALTER TABLE alerts ADD COLUMN output_key INTEGER; -- imported alerts: the first 48 bits of sha256(rule, a newline, output) in UTF-8 (src/db/alert-key.ts); NULL for alerts `pedigree rules run` wrote
UPDATE alerts SET output_key = pedigree_alert_key(rule, output) WHERE capture_id IS NOT NULL;
DROP INDEX alerts_host_time;
CREATE INDEX alerts_same ON alerts(host_id, time_ns, output_key);
