import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { ApiException } from '../common/api.exception.js';
import { isUuid } from '../common/ids.js';
import type { ListResponse, Page } from '../common/list-query.js';
import { AppConfig } from '../config/app-config.js';
import { OutboxRelay } from '../jobs/outbox-relay.js';
import { JOBS, QUEUES, jobId } from '../jobs/queues.js';
import { UnitOfWork } from '../jobs/unit-of-work.js';
import type { Merchant } from '../merchants/merchant.entity.js';
import { MerchantsService, type WebhookConfig } from '../merchants/merchants.service.js';
import { resolvesToPublicAddresses } from './ssrf-guard.js';
import { WebhookAttempt } from './webhook-attempt.entity.js';
import type { WebhookEvent } from './webhook-events.js';
import { WebhookEventsService } from './webhook-events.service.js';
import { WebhookLog, type WebhookStatus } from './webhook-log.entity.js';
import { INVALID_WEBHOOK_URL, parseWebhookUrl } from './webhook-url.js';
import type {
  WebhookAttemptDto,
  WebhookLogDetailDto,
  WebhookLogDto,
  WebhookRetryResponseDto,
  WebhookTestResponseDto,
} from './webhooks.dto.js';

export const WEBHOOK_STATUSES: readonly WebhookStatus[] = ['pending', 'success', 'failed'];

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

export function toWebhookLogResponse(log: WebhookLog): WebhookLogDto {
  return {
    id: log.id,
    event: log.event,
    status: log.status,
    attempts: log.attempts,
    created_at: log.createdAt.toISOString(),
    last_attempt_at: iso(log.lastAttemptAt),
    next_retry_at: iso(log.nextRetryAt),
    response_code: log.responseCode,
  };
}

function toAttemptResponse(attempt: WebhookAttempt): WebhookAttemptDto {
  return {
    attempt_number: attempt.attemptNumber,
    started_at: attempt.startedAt.toISOString(),
    duration_ms: attempt.durationMs,
    url: attempt.url,
    response_code: attempt.responseCode,
    response_body: attempt.responseBody,
    error: attempt.error,
  };
}

/** Merchant-facing webhook management (CONTRACT §5.6). */
@Injectable()
export class WebhooksService {
  constructor(
    @InjectRepository(WebhookLog) private readonly logs: Repository<WebhookLog>,
    @InjectRepository(WebhookAttempt) private readonly attempts: Repository<WebhookAttempt>,
    private readonly merchants: MerchantsService,
    private readonly events: WebhookEventsService,
    private readonly unitOfWork: UnitOfWork,
    private readonly relay: OutboxRelay,
    private readonly config: AppConfig,
  ) {}

  getConfig(merchant: Merchant): Promise<WebhookConfig> {
    return this.merchants.webhookConfig(merchant.id);
  }

  async updateConfig(merchant: Merchant, rawUrl: unknown): Promise<WebhookConfig> {
    const url = parseWebhookUrl(rawUrl);
    if (url && this.config.isProduction && !(await resolvesToPublicAddresses(url))) {
      throw ApiException.badRequest(INVALID_WEBHOOK_URL);
    }
    return this.merchants.setWebhookUrl(merchant.id, url);
  }

  async regenerateSecret(merchant: Merchant): Promise<{ webhook_secret: string }> {
    return { webhook_secret: await this.merchants.regenerateWebhookSecret(merchant.id) };
  }

  async sendTest(merchant: Merchant): Promise<WebhookTestResponseDto> {
    const event: WebhookEvent = 'webhook.test';
    const [id] = await this.unitOfWork.run(async (tx) => {
      const [current] = await tx.manager.query<{ webhook_url: string | null }[]>(
        `SELECT webhook_url FROM merchants WHERE id = $1 FOR SHARE`,
        [merchant.id],
      );
      if (!current?.webhook_url) throw ApiException.badRequest('webhook_url is not configured');
      return this.events.record(tx, merchant.id, [
        { event, data: { message: 'This is a test webhook', merchant_id: merchant.id } },
      ]);
    });
    return { id, event, status: 'pending' };
  }

  async list(
    merchantId: string,
    page: Page,
    filters: { status?: WebhookStatus; event?: WebhookEvent },
  ): Promise<ListResponse<WebhookLogDto>> {
    const [logs, total] = await this.logs.findAndCount({
      where: {
        merchantId,
        ...(filters.status && { status: filters.status }),
        ...(filters.event && { event: filters.event }),
      },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: page.limit,
      skip: page.offset,
    });
    return { data: logs.map(toWebhookLogResponse), total, limit: page.limit, offset: page.offset };
  }

  async findOne(merchantId: string, id: string): Promise<WebhookLogDetailDto> {
    const log = await this.getOwned(merchantId, id);
    const attempts = await this.attempts.find({ where: { webhookLogId: log.id }, order: { attemptNumber: 'ASC' } });
    return {
      ...toWebhookLogResponse(log),
      response_body: log.responseBody,
      payload: log.payload,
      delivery_attempts: attempts.map(toAttemptResponse),
    };
  }

  /**
   * A fresh 5-attempt cycle, allowed in any status: resets the log, cancels the scheduled attempt and
   * starts one now. attempt_number keeps counting across cycles.
   */
  async retry(merchantId: string, id: string): Promise<WebhookRetryResponseDto> {
    const log = await this.getOwned(merchantId, id);
    const nextAttempt = await this.unitOfWork.run(async (tx) => {
      await tx.manager.query(
        `UPDATE webhook_logs SET status = 'pending', attempts = 0, next_retry_at = now(), last_attempt_at = NULL,
           response_code = NULL, response_body = NULL, delivery_cycle = delivery_cycle + 1
         WHERE id = $1`,
        [log.id],
      );
      const [{ next }] = await tx.manager.query<{ next: number }[]>(
        `SELECT coalesce(max(attempt_number), 0) + 1 AS next FROM webhook_attempts WHERE webhook_log_id = $1`,
        [log.id],
      );
      tx.enqueue({
        queue: QUEUES.webhooks,
        name: JOBS.deliverWebhook,
        // A distinct id: the cancelled scheduled attempt may still hold the plain one.
        jobId: jobId('webhook', log.id, next, `m${Date.now()}`),
        data: { webhookLogId: log.id },
      });
      return next;
    });
    await this.cancelScheduled(jobId('webhook', log.id, nextAttempt));
    return { id: log.id, status: 'pending', message: 'Webhook retry scheduled' };
  }

  private async cancelScheduled(id: string): Promise<void> {
    try {
      const job = await this.relay.queue(QUEUES.webhooks).getJob(id);
      if (job && (await job.isDelayed())) await job.remove();
    } catch {
      // Best effort: a stale scheduled job finds the log not due (or leased) and does nothing.
    }
  }

  private async getOwned(merchantId: string, id: string): Promise<WebhookLog> {
    const log = isUuid(id) ? await this.logs.findOneBy({ id, merchantId }) : null;
    if (!log) throw ApiException.notFound('Webhook log not found');
    return log;
  }
}
