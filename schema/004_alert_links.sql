-- pedigree case database, version 4: imported alerts tied to what they name.
--
-- An imported Falco alert names its container (container.id) and host even when no process of
-- the case can be identified as the one it fired on (alerts.exec_id stays NULL then), so the
-- container and host still show it.

CREATE TABLE alert_links (
  alert_id      INTEGER PRIMARY KEY REFERENCES alerts(alert_id), -- the alert
  host_id       INTEGER REFERENCES hosts(host_id), -- host it names (the alert's hostname)
  container_id  TEXT                              -- container it names (short id), NULL = host or none
);

CREATE INDEX alert_links_container ON alert_links(container_id);
