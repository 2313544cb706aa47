import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { cancelBackend } from '../../src/db/postgres/cancel-backend.js';

/**
 * A server that answers pg_cancel_backend and then, before the client's goodbye reaches it, ends
 * the connection with FATAL 57P01, as PostgreSQL does to every backend of a database dropped
 * WITH FORCE or at a fast shutdown. The client sees that error while no query is running, which
 * node-postgres reports as an 'error' event: without a listener it ended the process.
 */
function message(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

const int32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
const cstr = (s: string): Buffer => Buffer.from(`${s}\0`, 'latin1');

function terminatingServer(): { listen(): Promise<number>; close(): void; saw: { startup: boolean; query: boolean } } {
  const saw = { startup: false, query: false };
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('data', (chunk) => {
      if (!saw.startup) {
        saw.startup = true;
        socket.write(Buffer.concat([message('R', int32(0)), message('Z', Buffer.from('I'))]));
        return;
      }
      // The extended-protocol query ends with Sync ('S'); the client may send it in several writes.
      if (!chunk.includes(Buffer.from([0x53, 0, 0, 0, 4]))) return;
      saw.query = true;
      const field = Buffer.concat([cstr('pg_cancel_backend'), int32(0), Buffer.from([0, 0]), int32(16), Buffer.from([0, 1]), int32(-1), Buffer.from([0, 0])]);
      const row = Buffer.concat([Buffer.from([0, 1]), int32(1), Buffer.from('t')]);
      const fatal = Buffer.concat([cstr('SFATAL'), cstr('C57P01'), cstr('Mterminating connection due to administrator command'), Buffer.from([0])]);
      socket.write(
        Buffer.concat([
          message('1', Buffer.alloc(0)),
          message('2', Buffer.alloc(0)),
          message('T', Buffer.concat([Buffer.from([0, 1]), field])),
          message('D', row),
          message('C', cstr('SELECT 1')),
          message('Z', Buffer.from('I')),
          message('E', fatal),
        ]),
      );
    });
  });
  return {
    saw,
    async listen() {
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      return (server.address() as { port: number }).port;
    },
    close() {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

describe('cancelBackend', () => {
  it('a connection the server terminates right after answering ends quietly: the promise resolves, nothing is thrown', async () => {
    const server = terminatingServer();
    const port = await server.listen();
    try {
      await expect(cancelBackend(`postgres://pedigree@127.0.0.1:${port}/gone`, 4242)).resolves.toBeUndefined();
      expect(server.saw).toEqual({ startup: true, query: true });
      // An unhandled 'error' event would surface here, on the turns after the answer.
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      server.close();
    }
  });

  it('a server that cannot be reached: resolves (best effort), without waiting for the statement timeout', async () => {
    const started = Date.now();
    await expect(cancelBackend('postgres://pedigree@127.0.0.1:1/none', 1)).resolves.toBeUndefined();
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
