import pg from 'pg';

/**
 * Asks PostgreSQL to stop the statement a backend is running (pg_cancel_backend), on a short
 * connection of its own: ending a worker thread closes its socket, but the server only notices
 * when it next writes, so a long statement would run on to its timeout. Never rejects (the
 * statement timeout still bounds it); the caller may wait for it or not.
 */
export function cancelBackend(url: string, backendPid: number): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  // The server may end this connection while it is idle (a shutdown, a database dropped WITH
  // FORCE): pg reports that as an 'error' event, which without a listener ends the process.
  client.on('error', () => {});
  return client
    .connect()
    .then(() => client.query('SELECT pg_cancel_backend($1)', [backendPid]))
    .then(
      () => client.end(),
      () => client.end().catch(() => {}),
    )
    .catch(() => {});
}
