import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { ApiKeyAuth, ApiKeyOrSessionAuth, CurrentMerchant } from '../common/auth.decorators.js';
import { ApiListQuery } from '../common/list-query.decorator.js';
import { parseFilter, parsePage } from '../common/list-query.js';
import { AlsoIdempotencyHeader } from '../idempotency/idempotency.interceptor.js';
import type { Merchant } from '../merchants/merchant.entity.js';
import { CreateRefundDto, RefundDto, RefundListDto } from './refunds.dto.js';
import { REFUND_STATUSES, RefundsService } from './refunds.service.js';

const REFUND_ERRORS: [number, string, string][] = [
  [404, 'NOT_FOUND_ERROR', 'Payment not found'],
  [400, 'BAD_REQUEST_ERROR', 'amount is required'],
  [400, 'BAD_REQUEST_ERROR', 'Only successful payments can be refunded'],
  [400, 'BAD_REQUEST_ERROR', 'Refund amount exceeds available amount'],
];

@ApiTags('Refunds')
@Controller('api/v1')
export class RefundsController {
  constructor(private readonly refunds: RefundsService) {}

  @Post('payments/:id/refunds')
  @ApiKeyAuth()
  @AlsoIdempotencyHeader('X-Refund-Idempotency')
  @ApiOperation({ summary: 'Refund all or part of a successful payment (processed asynchronously)' })
  @ApiCreatedResponse({ type: RefundDto })
  @ApiErrors(...REFUND_ERRORS)
  create(
    @CurrentMerchant() merchant: Merchant,
    @Param('id') id: string,
    @Body() body: CreateRefundDto,
  ): Promise<RefundDto> {
    return this.refunds.create(merchant.id, id, body as unknown as Record<string, unknown>);
  }

  @Post('payments/:id/refund')
  @ApiKeyAuth()
  @AlsoIdempotencyHeader('X-Refund-Idempotency')
  @ApiOperation({ summary: 'Alias of POST /payments/{id}/refunds (Razorpay SDK `payments.refund`)' })
  @ApiCreatedResponse({ type: RefundDto })
  @ApiErrors(...REFUND_ERRORS)
  createAlias(
    @CurrentMerchant() merchant: Merchant,
    @Param('id') id: string,
    @Body() body: CreateRefundDto,
  ): Promise<RefundDto> {
    return this.refunds.create(merchant.id, id, body as unknown as Record<string, unknown>);
  }

  @Get('payments/:id/refunds')
  @ApiKeyOrSessionAuth()
  @ApiOperation({ summary: "A payment's refunds, newest first" })
  @ApiListQuery()
  @ApiOkResponse({ type: RefundListDto })
  @ApiErrors([404, 'NOT_FOUND_ERROR', 'Payment not found'])
  listForPayment(
    @CurrentMerchant() merchant: Merchant,
    @Param('id') id: string,
    @Query() query: Record<string, string>,
  ): Promise<RefundListDto> {
    return this.refunds.list(merchant.id, parsePage(query), { paymentId: id });
  }

  @Get('refunds')
  @ApiKeyOrSessionAuth()
  @ApiOperation({ summary: 'List refunds, newest first' })
  @ApiListQuery()
  @ApiQuery({ name: 'status', required: false, enum: REFUND_STATUSES })
  @ApiOkResponse({ type: RefundListDto })
  @ApiErrors([400, 'BAD_REQUEST_ERROR', 'limit must be an integer between 1 and 100'])
  list(@CurrentMerchant() merchant: Merchant, @Query() query: Record<string, string>): Promise<RefundListDto> {
    return this.refunds.list(merchant.id, parsePage(query), { status: parseFilter(query, 'status', REFUND_STATUSES) });
  }

  @Get('refunds/:id')
  @ApiKeyOrSessionAuth()
  @ApiOperation({ summary: 'Fetch one of your refunds' })
  @ApiOkResponse({ type: RefundDto })
  @ApiErrors([404, 'NOT_FOUND_ERROR', 'Refund not found'])
  findOne(@CurrentMerchant() merchant: Merchant, @Param('id') id: string): Promise<RefundDto> {
    return this.refunds.findOne(merchant.id, id);
  }
}
