import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { ApiKeyOrSessionAuth, CurrentMerchant } from '../common/auth.decorators.js';
import { ApiListQuery } from '../common/list-query.decorator.js';
import { parseFilter, parsePage } from '../common/list-query.js';
import type { Merchant } from '../merchants/merchant.entity.js';
import type { WebhookConfig } from '../merchants/merchants.service.js';
import { WEBHOOK_EVENTS } from './webhook-events.js';
import {
  UpdateWebhookConfigDto,
  WebhookConfigDto,
  WebhookLogDetailDto,
  WebhookLogListDto,
  WebhookRetryResponseDto,
  WebhookSecretDto,
  WebhookTestResponseDto,
} from './webhooks.dto.js';
import { WEBHOOK_STATUSES, WebhooksService } from './webhooks.service.js';

@ApiTags('Webhooks')
@ApiKeyOrSessionAuth()
@Controller('api/v1/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Get('config')
  @ApiOperation({ summary: 'Your webhook URL and signing secret' })
  @ApiOkResponse({ type: WebhookConfigDto })
  getConfig(@CurrentMerchant() merchant: Merchant): Promise<WebhookConfig> {
    return this.webhooks.getConfig(merchant);
  }

  @Put('config')
  @ApiOperation({ summary: 'Set (or clear with null / "") your webhook URL' })
  @ApiOkResponse({ type: WebhookConfigDto })
  @ApiErrors([400, 'BAD_REQUEST_ERROR', 'webhook_url must be a valid http or https URL'])
  updateConfig(@CurrentMerchant() merchant: Merchant, @Body() body: UpdateWebhookConfigDto): Promise<WebhookConfig> {
    return this.webhooks.updateConfig(merchant, body.webhook_url);
  }

  @Post('regenerate-secret')
  @HttpCode(200)
  @ApiOperation({ summary: 'New signing secret; every later attempt (pending retries included) uses it' })
  @ApiOkResponse({ type: WebhookSecretDto })
  regenerateSecret(@CurrentMerchant() merchant: Merchant): Promise<WebhookSecretDto> {
    return this.webhooks.regenerateSecret(merchant);
  }

  @Post('test')
  @ApiOperation({ summary: 'Send a webhook.test event to your webhook URL' })
  @ApiCreatedResponse({ type: WebhookTestResponseDto })
  @ApiErrors([400, 'BAD_REQUEST_ERROR', 'webhook_url is not configured'])
  sendTest(@CurrentMerchant() merchant: Merchant): Promise<WebhookTestResponseDto> {
    return this.webhooks.sendTest(merchant);
  }

  @Get()
  @ApiOperation({ summary: 'Webhook delivery logs, newest first' })
  @ApiListQuery()
  @ApiQuery({ name: 'status', required: false, enum: WEBHOOK_STATUSES })
  @ApiQuery({ name: 'event', required: false, enum: WEBHOOK_EVENTS })
  @ApiOkResponse({ type: WebhookLogListDto })
  @ApiErrors([400, 'BAD_REQUEST_ERROR', 'limit must be an integer between 1 and 100'])
  list(@CurrentMerchant() merchant: Merchant, @Query() query: Record<string, string>): Promise<WebhookLogListDto> {
    return this.webhooks.list(merchant.id, parsePage(query), {
      status: parseFilter(query, 'status', WEBHOOK_STATUSES),
      event: parseFilter(query, 'event', WEBHOOK_EVENTS),
    });
  }

  @Get(':id')
  @ApiOperation({ summary: 'One delivery log with its payload and full attempt history' })
  @ApiOkResponse({ type: WebhookLogDetailDto })
  @ApiErrors([404, 'NOT_FOUND_ERROR', 'Webhook log not found'])
  findOne(@CurrentMerchant() merchant: Merchant, @Param('id') id: string): Promise<WebhookLogDetailDto> {
    return this.webhooks.findOne(merchant.id, id);
  }

  @Post(':id/retry')
  @HttpCode(200)
  @ApiOperation({ summary: 'Start a fresh 5-attempt delivery cycle now' })
  @ApiOkResponse({ type: WebhookRetryResponseDto })
  @ApiErrors([404, 'NOT_FOUND_ERROR', 'Webhook log not found'])
  retry(@CurrentMerchant() merchant: Merchant, @Param('id') id: string): Promise<WebhookRetryResponseDto> {
    return this.webhooks.retry(merchant.id, id);
  }
}
