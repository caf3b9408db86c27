import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { ApiKeyAuth, ApiKeyOrSessionAuth, CurrentMerchant } from '../common/auth.decorators.js';
import { ApiListQuery } from '../common/list-query.decorator.js';
import { parseFilter, parsePage } from '../common/list-query.js';
import type { Merchant } from '../merchants/merchant.entity.js';
import { CapturePaymentDto, CreatePaymentDto, PaymentDto, PaymentListDto, PaymentStatsDto } from './payments.dto.js';
import { PAYMENT_METHODS, PAYMENT_STATUSES, PaymentsService } from './payments.service.js';

export const PAYMENT_VALIDATION_ERRORS: [number, string, string][] = [
  [400, 'BAD_REQUEST_ERROR', 'order_id is required'],
  [400, 'BAD_REQUEST_ERROR', 'method must be one of: upi, card'],
  [400, 'BAD_REQUEST_ERROR', 'card.number is required'],
  [400, 'INVALID_VPA', 'VPA format invalid'],
  [400, 'INVALID_CARD', 'Card validation failed'],
  [400, 'INVALID_CARD', 'card.cvv must be 3 or 4 digits'],
  [400, 'EXPIRED_CARD', 'Card expiry date invalid'],
  [404, 'NOT_FOUND_ERROR', 'Order not found'],
];

@ApiTags('Payments')
@Controller('api/v1/payments')
export class PaymentsController {
  constructor(private readonly payments: PaymentsService) {}

  @Post()
  @ApiKeyAuth()
  @ApiOperation({
    summary: 'Create a payment for one of your orders',
    description:
      'Returns at once with status `pending`; processing is asynchronous. Emits payment.created and payment.pending.',
  })
  @ApiCreatedResponse({ type: PaymentDto })
  @ApiErrors(...PAYMENT_VALIDATION_ERRORS)
  create(@CurrentMerchant() merchant: Merchant, @Body() body: CreatePaymentDto): Promise<PaymentDto> {
    return this.payments.createForMerchant(merchant.id, body as unknown as Record<string, unknown>);
  }

  @Post(':id/capture')
  @ApiKeyAuth()
  @HttpCode(200)
  @ApiOperation({ summary: 'Capture a successful payment (Razorpay-compatible; emits no webhook)' })
  @ApiOkResponse({ type: PaymentDto })
  @ApiErrors(
    [404, 'NOT_FOUND_ERROR', 'Payment not found'],
    [400, 'BAD_REQUEST_ERROR', 'Payment not in capturable state'],
    [400, 'BAD_REQUEST_ERROR', 'Payment already captured'],
    [400, 'BAD_REQUEST_ERROR', 'Capture amount must match payment amount'],
  )
  capture(
    @CurrentMerchant() merchant: Merchant,
    @Param('id') id: string,
    @Body() body: CapturePaymentDto,
  ): Promise<PaymentDto> {
    return this.payments.capture(merchant.id, id, body.amount);
  }

  @Get('stats')
  @ApiKeyOrSessionAuth()
  @ApiOperation({ summary: 'Totals over all your payments' })
  @ApiOkResponse({ type: PaymentStatsDto })
  stats(@CurrentMerchant() merchant: Merchant): Promise<PaymentStatsDto> {
    return this.payments.stats(merchant.id);
  }

  @Get()
  @ApiKeyOrSessionAuth()
  @ApiOperation({ summary: 'List payments, newest first' })
  @ApiListQuery()
  @ApiQuery({ name: 'status', required: false, enum: PAYMENT_STATUSES })
  @ApiQuery({ name: 'method', required: false, enum: PAYMENT_METHODS })
  @ApiOkResponse({ type: PaymentListDto })
  @ApiErrors([400, 'BAD_REQUEST_ERROR', 'limit must be an integer between 1 and 100'])
  list(@CurrentMerchant() merchant: Merchant, @Query() query: Record<string, string>): Promise<PaymentListDto> {
    return this.payments.list(merchant.id, parsePage(query), {
      status: parseFilter(query, 'status', PAYMENT_STATUSES),
      method: parseFilter(query, 'method', PAYMENT_METHODS),
    });
  }

  @Get(':id')
  @ApiKeyOrSessionAuth()
  @ApiOperation({ summary: 'Fetch one of your payments' })
  @ApiOkResponse({ type: PaymentDto })
  @ApiErrors([404, 'NOT_FOUND_ERROR', 'Payment not found'])
  findOne(@CurrentMerchant() merchant: Merchant, @Param('id') id: string): Promise<PaymentDto> {
    return this.payments.findOne(merchant.id, id);
  }
}
