import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { Public } from '../common/auth.decorators.js';
import { PAYMENT_VALIDATION_ERRORS } from './payments.controller.js';
import { CreatePaymentDto, PaymentDto, PublicPaymentDto } from './payments.dto.js';
import { PaymentsService } from './payments.service.js';

/** Endpoints of the hosted checkout page (CONTRACT §5.7): no credentials, no card data returned. */
@ApiTags('Public checkout')
@Controller('api/v1/payments')
export class PublicPaymentsController {
  constructor(private readonly payments: PaymentsService) {}

  @Post('public')
  @Public()
  @ApiOperation({ summary: 'Create a payment from the hosted checkout (the merchant is the order owner)' })
  @ApiCreatedResponse({ type: PaymentDto })
  @ApiErrors(...PAYMENT_VALIDATION_ERRORS)
  create(@Body() body: CreatePaymentDto): Promise<PaymentDto> {
    return this.payments.createForCheckout(body as unknown as Record<string, unknown>);
  }

  @Get('public/:id')
  @Public()
  @ApiOperation({ summary: 'Public payment status (alias of /payments/{id}/public)' })
  @ApiOkResponse({ type: PublicPaymentDto })
  @ApiErrors([404, 'NOT_FOUND_ERROR', 'Payment not found'])
  findPublicAlias(@Param('id') id: string): Promise<PublicPaymentDto> {
    return this.payments.findPublic(id);
  }

  @Get(':id/public')
  @Public()
  @ApiOperation({ summary: 'Public payment status for the checkout page, with the signature once successful' })
  @ApiOkResponse({ type: PublicPaymentDto })
  @ApiErrors([404, 'NOT_FOUND_ERROR', 'Payment not found'])
  findPublic(@Param('id') id: string): Promise<PublicPaymentDto> {
    return this.payments.findPublic(id);
  }
}
