import {
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
  createServer,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the merchant's endpoint saw it. */
export interface ReceivedRequest {
  method: string;
  /** Path and query string, e.g. `/webhook?x=1`. */
  path: string;
  headers: IncomingHttpHeaders;
  /** Raw body text, exactly the bytes received (decoded as UTF-8). */
  body: string;
  /** `Date.now()` when the request line and headers arrived. */
  arrivedAt: number;
  /** `Date.now()` when the exchange ended (answer sent or connection closed); null while open. */
  finishedAt: number | null;
}

/** How to answer one request. `hang: true` never answers (until the receiver closes). */
export interface Reply {
  status?: number;
  body?: string;
  headers?: Record<string, string>;
  /** Wait this long before answering. */
  delayMs?: number;
  hang?: boolean;
}

export type Responder = (request: ReceivedRequest, index: number) => Reply;

/**
 * The merchant's webhook endpoint, outside our system: a real local HTTP server that records every
 * request and answers from a programmable plan (queued replies first, then the default).
 */
export class WebhookReceiver {
  readonly requests: ReceivedRequest[] = [];
  private readonly queued: Reply[] = [];
  private fallback: Reply | Responder = { status: 200, body: 'OK' };
  private readonly waiters = new Set<() => void>();
  private readonly pending = new Set<ServerResponse>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  /** Listens on 127.0.0.1 at `port` (default: a free one). */
  static async start(port = 0): Promise<WebhookReceiver> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    const receiver = new WebhookReceiver(server, (server.address() as AddressInfo).port);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => receiver.handle(req, res));
    return receiver;
  }

  /** URL of `path` on this receiver. */
  url(path = '/webhook'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** Answers the next requests with these replies, in order, then falls back to the default. */
  plan(...replies: Reply[]): this {
    this.queued.push(...replies);
    return this;
  }

  /** The answer once the plan is used up (initially `200 OK`). */
  respondWith(reply: Reply | Responder): this {
    this.fallback = reply;
    return this;
  }

  /** Requests to `path` (ignoring the query string), or all of them. */
  received(path?: string): ReceivedRequest[] {
    return path === undefined ? [...this.requests] : this.requests.filter((r) => r.path.split('?')[0] === path);
  }

  /** Resolves with the requests once at least `count` match `filter`; rejects after `timeoutMs`. */
  async waitFor(
    count: number,
    filter: (request: ReceivedRequest) => boolean = () => true,
    timeoutMs = 15_000,
  ): Promise<ReceivedRequest[]> {
    const matching = () => this.requests.filter(filter);
    if (matching().length >= count) {
      return matching();
    }
    return new Promise((resolve, reject) => {
      const check = () => {
        if (matching().length >= count) {
          clearTimeout(timer);
          this.waiters.delete(check);
          resolve(matching());
        }
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`receiver got ${matching().length} of ${count} expected requests within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.add(check);
    });
  }

  async close(): Promise<void> {
    for (const res of this.pending) {
      res.destroy();
    }
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const arrivedAt = Date.now();
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: ReceivedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        arrivedAt,
        finishedAt: null,
      };
      const index = this.requests.push(request) - 1;
      const next = this.queued.shift() ?? this.fallback;
      const reply = typeof next === 'function' ? next(request, index) : next;
      for (const waiter of [...this.waiters]) {
        waiter();
      }
      this.reply(request, res, reply);
    });
  }

  private reply(request: ReceivedRequest, res: ServerResponse, reply: Reply): void {
    this.pending.add(res);
    res.on('close', () => {
      request.finishedAt = Date.now();
      this.pending.delete(res);
    });
    if (reply.hang) {
      return;
    }
    const send = () => {
      if (res.destroyed) {
        return;
      }
      const status = reply.status ?? 200;
      const body = status === 204 || status === 304 ? '' : (reply.body ?? '');
      res.writeHead(status, {
        'Content-Type': 'text/plain; charset=utf-8',
        ...(status !== 204 && status !== 304 && { 'Content-Length': String(Buffer.byteLength(body)) }),
        ...reply.headers,
      });
      res.end(body);
    };
    if (reply.delayMs) {
      setTimeout(send, reply.delayMs);
    } else {
      send();
    }
  }
}
