import { type MessagePort, workerData } from 'node:worker_threads';
import pg from 'pg';
import { packedBuffers, packRows } from './packed-rows.js';
import type { PgReply, PgRequest } from './pg-protocol.js';
import { decodeRow, installTypeParsers } from './pg-values.js';

/**
 * Runs one PostgreSQL connection for a synchronous caller (pg-sync.ts): each request is
 * answered on the port, then the shared flag is raised so the caller's Atomics.wait returns.
 */
const { port, flag, answered } = workerData as { port: MessagePort; flag: SharedArrayBuffer; answered?: SharedArrayBuffer };
const signal = new Int32Array(flag);
const anyAnswer = answered ? new Int32Array(answered) : undefined;
let client: pg.Client | undefined;
installTypeParsers(pg.types);

function reply(message: PgReply): void {
  port.postMessage(message, message.ok ? packedBuffers(message.rows) : []);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
  if (anyAnswer) {
    Atomics.add(anyAnswer, 0, 1);
    Atomics.notify(anyAnswer, 0);
  }
}

function failure(err: unknown): PgReply {
  const e = err as { message?: string; code?: string };
  const code = typeof e.code === 'string' ? e.code : undefined;
  // Socket errors carry errno names (ECONNREFUSED, ENOENT); server errors carry SQLSTATE codes.
  return /^E[A-Z]+$/.test(code ?? '')
    ? { ok: false, message: String(e.message ?? err), errno: code }
    : { ok: false, message: String(e.message ?? err), pgCode: code };
}

const NOTHING: PgReply = { ok: true, columns: [], rows: { count: 0, columns: [] }, rowCount: 0 };

async function handle(req: PgRequest): Promise<PgReply> {
  if (req.kind === 'open') {
    const options = [`-c search_path=public,pedigree_sql,pg_catalog`, `-c statement_timeout=${req.statementTimeoutMs}`];
    if (req.readOnly) options.push('-c default_transaction_read_only=on');
    for (const [name, value] of Object.entries(req.settings)) options.push(`-c ${name}=${value}`);
    client = new pg.Client({ connectionString: req.url, options: options.join(' '), connectionTimeoutMillis: 10_000 });
    client.on('error', () => {});
    await client.connect();
    return NOTHING;
  }
  if (req.kind === 'close') {
    await client?.end();
    client = undefined;
    return NOTHING;
  }
  if (!client) throw new Error('connection is closed');
  const answer = await client.query({ text: req.sql, values: req.params, rowMode: 'array', ...(req.name ? { name: req.name } : {}) });
  // A script of several statements answers with one result each: the last one counts.
  const result = (Array.isArray(answer) ? answer[answer.length - 1] : answer) as pg.QueryResult<unknown[]>;
  const fields = result.fields ?? [];
  return {
    ok: true,
    columns: fields.map((f) => f.name),
    rows: packRows(
      (result.rows ?? []).map((r) => decodeRow(r, fields)),
      fields.length,
    ),
    rowCount: result.rowCount ?? 0,
  };
}

port.on('message', (req: PgRequest) => {
  handle(req).then(reply, (err: unknown) => reply(failure(err)));
});
