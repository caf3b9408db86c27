import { ListDtoOf } from '../common/list.dto.js';
import type { ListResponse } from '../common/list-query.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';

export class CardDto {
  @ApiProperty({
    description: 'Card number; spaces and dashes are ignored. Never stored.',
    example: '4111111111111111',
  })
  number: string;
  @ApiProperty({
    description: 'Expiry month 1-12 (string or integer).',
    example: '12',
    oneOf: [{ type: 'string' }, { type: 'integer' }],
  })
  expiry_month: string | number;
  @ApiProperty({
    description: 'Expiry year, 2 or 4 digits (string or integer).',
    example: '2030',
    oneOf: [{ type: 'string' }, { type: 'integer' }],
  })
  expiry_year: string | number;
  @ApiProperty({
    description: '3 or 4 digits. Never stored or logged.',
    example: '123',
    oneOf: [{ type: 'string' }, { type: 'integer' }],
  })
  cvv: string | number;
  @ApiPropertyOptional({ description: 'Cardholder name, at most 255 characters.', example: 'John Doe' })
  holder_name?: string;
}

/**
 * Create-payment body. Validated in the exact order of CONTRACT §4.2 by the payments service (the
 * order lookup sits between the checks), so the properties here only document the shape.
 */
export class CreatePaymentDto {
  /** The order being paid; amount and currency are taken from it. */
  @ApiProperty({
    description: 'The order being paid; amount and currency are taken from it.',
    example: 'order_NXhj3kPqR2sT4uVw',
  })
  @IsOptional()
  order_id: string;

  /** `upi` or `card`. */
  @ApiProperty({ description: '`upi` or `card`.', enum: ['upi', 'card'], example: 'upi' })
  @IsOptional()
  method: 'upi' | 'card';

  /** UPI virtual payment address (method upi). */
  @ApiPropertyOptional({ description: 'UPI virtual payment address (method upi).', example: 'user@paytm' })
  @IsOptional()
  vpa?: string;

  /** Card details (method card). */
  @ApiPropertyOptional({ description: 'Card details (method card).', type: CardDto })
  @IsOptional()
  card?: CardDto;

  @ApiPropertyOptional({
    description: 'Flat alias of card.number, used when `card` is absent.',
    example: '4111111111111111',
  })
  @IsOptional()
  card_number?: string;

  @ApiPropertyOptional({ description: 'Flat alias: `MM/YY` or `MM/YYYY`.', example: '12/30' })
  @IsOptional()
  card_expiry?: string;

  @ApiPropertyOptional({ description: 'Flat alias of card.cvv.', example: '123' })
  @IsOptional()
  card_cvv?: string;

  @ApiPropertyOptional({ description: 'Flat alias of card.holder_name.', example: 'John Doe' })
  @IsOptional()
  holder_name?: string;
}

export class PaymentDto {
  @ApiProperty({ example: 'pay_H8sK2pLm9QwErTyU' })
  id: string;
  @ApiProperty({ example: 'order_NXhj3kPqR2sT4uVw' })
  order_id: string;
  @ApiProperty({ example: 50000 })
  amount: number;
  @ApiProperty({ example: 'INR' })
  currency: string;
  @ApiProperty({ enum: ['upi', 'card'], example: 'upi' })
  method: 'upi' | 'card';
  @ApiProperty({ type: String, nullable: true, example: 'user@paytm' })
  vpa: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    enum: ['visa', 'mastercard', 'amex', 'rupay', 'unknown'],
    example: null,
  })
  card_network: string | null;
  @ApiProperty({ type: String, nullable: true, example: null })
  card_last4: string | null;
  @ApiProperty({ enum: ['pending', 'processing', 'success', 'failed'], example: 'pending' })
  status: 'pending' | 'processing' | 'success' | 'failed';
  @ApiProperty({ example: false })
  captured: boolean;
  @ApiProperty({ type: String, nullable: true, example: null })
  error_code: string | null;
  @ApiProperty({ type: String, nullable: true, example: null })
  error_description: string | null;
  @ApiProperty({ format: 'date-time', example: '2024-01-15T10:31:00.000Z' })
  created_at: string;
  @ApiProperty({ format: 'date-time', example: '2024-01-15T10:31:00.000Z' })
  updated_at: string;
}

export class PublicPaymentDto {
  @ApiProperty({ example: 'pay_H8sK2pLm9QwErTyU' })
  id: string;
  @ApiProperty({ example: 'order_NXhj3kPqR2sT4uVw' })
  order_id: string;
  @ApiProperty({ example: 50000 })
  amount: number;
  @ApiProperty({ example: 'INR' })
  currency: string;
  @ApiProperty({ enum: ['upi', 'card'], example: 'upi' })
  method: 'upi' | 'card';
  @ApiProperty({ enum: ['pending', 'processing', 'success', 'failed'], example: 'success' })
  status: 'pending' | 'processing' | 'success' | 'failed';
  @ApiProperty({ type: String, nullable: true, example: null })
  error_code: string | null;
  @ApiProperty({ type: String, nullable: true, example: null })
  error_description: string | null;
  @ApiProperty({ format: 'date-time', example: '2024-01-15T10:31:00.000Z' })
  created_at: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'Lowercase hex HMAC-SHA256(api_secret, order_id + "|" + payment_id) once the payment succeeded, else null.',
    example: '9e3b5f0c2d…',
  })
  signature: string | null;
}

export const PaymentListDto = ListDtoOf(PaymentDto, 'PaymentListDto');
export type PaymentListDto = ListResponse<PaymentDto>;

export class PaymentStatsDto {
  @ApiProperty({ description: "Count of all the merchant's payments.", example: 12 })
  total_transactions: number;
  @ApiProperty({ description: 'Sum of successful payments, in paise.', example: 450000 })
  total_amount: number;
  @ApiProperty({ description: 'round(100 × successes / total), 0 without payments.', example: 83 })
  success_rate: number;
}

export class CapturePaymentDto {
  @ApiPropertyOptional({ description: 'If given, must equal the payment amount (paise).', example: 50000 })
  @IsOptional()
  amount?: unknown;

  @ApiPropertyOptional({ description: 'Accepted for Razorpay compatibility; ignored.', example: 'INR' })
  @IsOptional()
  currency?: unknown;
}
