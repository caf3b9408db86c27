import { type AddressInfo, type Server, type Socket, connect, createServer } from 'node:net';

export interface TcpProxy {
  /** Local port the proxy listens on (stable across cut/restore). */
  port: number;
  /** Destroys every open connection and stops listening, so new connections are refused. */
  cut(): Promise<void>;
  /** Listens again on the same port; later connections reach the target. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A controllable TCP proxy in front of a real dependency (Redis), so a test can make it unreachable
 * for the gateway without touching the server other test runs share.
 */
export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let closed = false;

  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    // Resets are expected when the proxy cuts a connection; the other side sees them as a drop.
    socket.on('error', () => undefined);
  };

  const server: Server = createServer((client) => {
    track(client);
    const upstream = connect(targetPort, targetHost);
    track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
  });

  const listen = (port: number): Promise<number> =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve((server.address() as AddressInfo).port);
      });
    });

  const stopListening = (): Promise<void> =>
    new Promise((resolve) => {
      if (!server.listening) {
        resolve();
        return;
      }
      server.close(() => resolve());
    });

  const dropAll = (): void => {
    for (const socket of sockets) {
      if (socket.connecting) {
        socket.destroy();
      } else {
        socket.resetAndDestroy();
      }
    }
    sockets.clear();
  };

  const port = await listen(0);

  return {
    port,
    async cut() {
      const stopped = stopListening();
      dropAll();
      await stopped;
    },
    async restore() {
      if (closed || server.listening) return;
      await listen(port);
    },
    async close() {
      closed = true;
      const stopped = stopListening();
      dropAll();
      await stopped;
    },
  };
}
