-- pedigree case database, version 8: alerts found by host and time.
--
-- An alert another capture already brought (an overlapping export) is not stored twice: each
-- imported alert looks for one of the same host, time, rule and output. Without an index that
-- look-up read every alert, so importing alerts into a case that held some was quadratic.
-- Reports and the TUI also read a host's alerts in time order.

CREATE INDEX alerts_host_time ON alerts(host_id, time_ns);
