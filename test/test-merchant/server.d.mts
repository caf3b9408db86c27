import type { Server } from 'node:http';

export declare const DEFAULT_PORT: number;
export declare const DEFAULT_SECRET: string;

/** One POST /webhook request, as listed by GET /received. */
export interface ReceivedWebhook {
  webhook_id: string | null;
  event: string | null;
  verified: boolean;
  received_at: string;
}

export interface TestMerchantOptions {
  /** Listen port; 0 picks a free one. Default 4000. */
  port?: number;
  host?: string;
  /** Default whsec_test_abc123. */
  secret?: string;
  /** Answer the first N POST /webhook requests with 500. Default 0. */
  failFirstN?: number;
  /** Receives every log line instead of console.log / console.warn. */
  log?: (line: string) => void;
}

export interface TestMerchant {
  server: Server;
  /** http://127.0.0.1:<port> */
  url: string;
  port: number;
  /** Live list behind GET /received, oldest first. */
  received: ReceivedWebhook[];
  close(): Promise<void>;
}

/** Lowercase hex HMAC-SHA256 keyed with the UTF-8 bytes of the whole secret. */
export declare function sign(secret: string, message: string): string;

export declare function createTestMerchant(options?: TestMerchantOptions): Promise<TestMerchant>;
