import { ListDtoOf } from '../common/list.dto.js';
import type { ListResponse } from '../common/list-query.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';

/**
 * Create-refund body. Checked by the refunds service in the order of CONTRACT §5.5 (the payment
 * lookup comes first), so the properties only document the shape.
 */
export class CreateRefundDto {
  /** Amount to refund in paise: an integer > 0, at most what is still refundable. */
  @ApiProperty({
    description: 'Amount to refund in paise: an integer > 0, at most what is still refundable.',
    example: 25000,
  })
  @IsOptional()
  amount: number;

  /** Why the money goes back, at most 255 characters. */
  @ApiPropertyOptional({
    description: 'Why the money goes back, at most 255 characters.',
    example: 'Customer returned the item',
    nullable: true,
    type: String,
  })
  @IsOptional()
  reason?: string | null;

  @ApiPropertyOptional({
    description: 'Razorpay compatibility: accepted and ignored.',
    type: 'object',
    additionalProperties: true,
  })
  @IsOptional()
  notes?: unknown;

  @ApiPropertyOptional({ description: 'Razorpay compatibility: accepted and ignored.', example: 'normal' })
  @IsOptional()
  speed?: unknown;

  @ApiPropertyOptional({ description: 'Razorpay compatibility: accepted and ignored.' })
  @IsOptional()
  receipt?: unknown;
}

export class RefundDto {
  @ApiProperty({ example: 'rfnd_Qw3rTy7uIoP1aS2d' })
  id: string;
  @ApiProperty({ example: 'pay_H8sK2pLm9QwErTyU' })
  payment_id: string;
  @ApiProperty({ example: 25000 })
  amount: number;
  @ApiProperty({ type: String, nullable: true, example: 'Customer returned the item' })
  reason: string | null;
  @ApiProperty({ enum: ['pending', 'processed'], example: 'pending' })
  status: 'pending' | 'processed';
  @ApiProperty({ format: 'date-time', example: '2024-01-15T10:31:00.000Z' })
  created_at: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, example: null })
  processed_at: string | null;
}

export const RefundListDto = ListDtoOf(RefundDto, 'RefundListDto');
export type RefundListDto = ListResponse<RefundDto>;
