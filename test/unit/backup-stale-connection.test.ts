// A kept-alive connection the backup server closes just as the client reuses it: GETs go again on a new connection.
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { restoreFailureOf } from '../../src/backup/restore-errors.js';
import { createRemoteSend, listRemoteSnapshots } from '../../src/backup/restore-http.js';
import { systemClock } from '../../src/platform/clock.js';

const BODY = JSON.stringify({ dataset: 'tank/dugong/peer1', snapshots: [] });
const ANSWER = `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(BODY)}\r\nconnection: keep-alive\r\nkeep-alive: timeout=60\r\n\r\n${BODY}`;

let server: Server | undefined;
// undici hands a connection back to its pool only after the answer was read: the next call reuses it a moment later.
const idle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 50));
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
  server = undefined;
});

/** Answers the first request of each connection and keeps it open; a second request on it is met by a close. */
async function racingServer(): Promise<{ url: string; requests: () => number; connections: () => number }> {
  let requests = 0;
  let connections = 0;
  server = createServer((socket) => {
    connections += 1;
    sockets.push(socket);
    let answered = false;
    socket.on('data', () => {
      requests += 1;
      if (answered) socket.destroy();
      else socket.write(ANSWER);
      answered = true;
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { url: `http://127.0.0.1:${address.port}`, requests: () => requests, connections: () => connections };
}

describe('backup API calls over kept-alive connections', () => {
  it('sends a GET again on a new connection when the server closed the reused one', async () => {
    const racing = await racingServer();
    const endpoint = { backupUrl: racing.url, secret: 'shard-secret-0123456789', clock: systemClock, requestTimeoutMs: 5_000 };
    await listRemoteSnapshots(endpoint);
    await idle();
    const second = await listRemoteSnapshots(endpoint);
    expect(second.dataset).toBe('tank/dugong/peer1');
    expect(racing.requests()).toBe(3);
    expect(racing.connections()).toBe(2);
  });

  it('does not send a POST twice: creating a send job is not idempotent, the caller retries it', async () => {
    const racing = await racingServer();
    const endpoint = { backupUrl: racing.url, secret: 'shard-secret-0123456789', clock: systemClock, requestTimeoutMs: 5_000 };
    await listRemoteSnapshots(endpoint);
    await idle();
    const failure = await createRemoteSend(endpoint, {}).then(() => undefined, (error: unknown) => error);
    expect(restoreFailureOf(failure)).toMatchObject({ kind: 'unreachable', retryable: true });
    expect(racing.requests()).toBe(2);
  });
});
