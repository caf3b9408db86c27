import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { IsNull, MoreThan, Repository } from 'typeorm';
import { sha256Hex } from '../common/crypto.js';
import { Merchant } from './merchant.entity.js';
import { Session } from './session.entity.js';

export const SESSION_COOKIE = 'gw_session';
export const SESSION_TTL_SECONDS = 86_400;

/** Server-side dashboard sessions: revocable, expiring, stored as SHA-256 of the cookie token. */
@Injectable()
export class SessionsService {
  constructor(
    @InjectRepository(Session) private readonly sessions: Repository<Session>,
    @InjectRepository(Merchant) private readonly merchants: Repository<Merchant>,
  ) {}

  async create(merchantId: string): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await this.sessions.insert({
      merchantId,
      tokenHash: sha256Hex(token),
      expiresAt: new Date(Date.now() + SESSION_TTL_SECONDS * 1000),
    });
    return token;
  }

  async resolve(token: string): Promise<Merchant | null> {
    if (!token || token.length > 128) return null;
    const session = await this.sessions.findOneBy({
      tokenHash: sha256Hex(token),
      revokedAt: IsNull(),
      expiresAt: MoreThan(new Date()),
    });
    if (!session) return null;
    return this.merchants.findOneBy({ id: session.merchantId, isActive: true });
  }

  async revoke(token: string): Promise<void> {
    if (!token) return;
    await this.sessions.update({ tokenHash: sha256Hex(token), revokedAt: IsNull() }, { revokedAt: new Date() });
  }
}
