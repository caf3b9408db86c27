import { ListDtoOf } from '../common/list.dto.js';
import type { ListResponse } from '../common/list-query.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { WEBHOOK_EVENTS } from './webhook-events.js';

export class WebhookConfigDto {
  @ApiProperty({ type: String, nullable: true, example: 'https://merchant.example/webhook' })
  webhook_url: string | null;
  @ApiProperty({ example: 'whsec_test_abc123' })
  webhook_secret: string;
}

export class UpdateWebhookConfigDto {
  /** Absolute http(s) URL of at most 2048 characters; null or "" disables webhooks. */
  @ApiPropertyOptional({
    description: 'Absolute http(s) URL of at most 2048 characters; null or "" disables webhooks.',
    type: String,
    nullable: true,
    example: 'https://merchant.example/webhook',
  })
  @IsOptional()
  webhook_url?: unknown;
}

export class WebhookSecretDto {
  @ApiProperty({ example: 'whsec_3q2+7wAAAAAAAAAAAAAAAAAAAAAAAAAA' })
  webhook_secret: string;
}

export class WebhookTestResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ example: 'webhook.test' })
  event: string;
  @ApiProperty({ example: 'pending' })
  status: string;
}

export class WebhookLogDto {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ enum: WEBHOOK_EVENTS, example: 'payment.success' })
  event: string;
  @ApiProperty({ enum: ['pending', 'success', 'failed'], example: 'success' })
  status: 'pending' | 'success' | 'failed';
  @ApiProperty({ description: 'Attempts in the current delivery cycle (0-5)', example: 1 })
  attempts: number;
  @ApiProperty({ format: 'date-time' })
  created_at: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  last_attempt_at: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  next_retry_at: string | null;
  @ApiProperty({ type: Number, nullable: true, example: 200 })
  response_code: number | null;
}

export class WebhookAttemptDto {
  @ApiProperty({ example: 1 })
  attempt_number: number;
  @ApiProperty({ format: 'date-time' })
  started_at: string;
  @ApiProperty({ type: Number, nullable: true, example: 12 })
  duration_ms: number | null;
  @ApiProperty({ type: String, nullable: true, example: 'https://merchant.example/webhook' })
  url: string | null;
  @ApiProperty({ type: Number, nullable: true, example: 500 })
  response_code: number | null;
  @ApiProperty({ type: String, nullable: true })
  response_body: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'timeout after 5000 ms' })
  error: string | null;
}

export class WebhookLogDetailDto extends WebhookLogDto {
  @ApiProperty({ type: String, nullable: true })
  response_body: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { event: 'payment.success', timestamp: 1705315870, data: { payment: {} } },
  })
  payload: Record<string, unknown>;
  @ApiProperty({ type: [WebhookAttemptDto] })
  delivery_attempts: WebhookAttemptDto[];
}

export const WebhookLogListDto = ListDtoOf(WebhookLogDto, 'WebhookLogListDto');
export type WebhookLogListDto = ListResponse<WebhookLogDto>;

export class WebhookRetryResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ example: 'pending' })
  status: string;
  @ApiProperty({ example: 'Webhook retry scheduled' })
  message: string;
}
