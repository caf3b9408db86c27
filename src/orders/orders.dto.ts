import { ListDtoOf } from '../common/list.dto.js';
import type { ListResponse } from '../common/list-query.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { IsPlainObject } from '../common/validators.js';

export class CreateOrderDto {
  /** Amount in paise: a JSON integer from 100 to 2147483647. */
  @ApiProperty({
    description: 'Amount in paise: a JSON integer from 100 to 2147483647.',
    example: 50000,
    minimum: 100,
    maximum: 2147483647,
  })
  @IsDefined({ message: 'amount is required' })
  @IsInt({ message: 'amount must be an integer' })
  @Min(100, { message: 'amount must be at least 100' })
  @Max(2147483647, { message: 'amount must be at most 2147483647' })
  amount: number;

  /** ISO 4217 code, upper case; defaults to INR. */
  @ApiPropertyOptional({ description: 'ISO 4217 code, upper case; defaults to INR.', example: 'INR', default: 'INR' })
  @IsOptional()
  @IsString({ message: 'currency must be a 3-letter ISO code' })
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be a 3-letter ISO code' })
  currency?: string;

  /** Merchant's own reference, at most 255 characters. */
  @ApiPropertyOptional({
    description: "Merchant's own reference, at most 255 characters.",
    example: 'receipt#42',
    nullable: true,
    type: String,
  })
  @IsOptional()
  @IsString({ message: 'receipt must be a string of at most 255 characters' })
  @MaxLength(255, { message: 'receipt must be a string of at most 255 characters' })
  receipt?: string | null;

  /** Free-form key/value object stored with the order. */
  @ApiPropertyOptional({
    description: 'Free-form key/value object stored with the order.',
    example: { customer: 'C-1001' },
    nullable: true,
    type: 'object',
    additionalProperties: true,
  })
  @IsOptional()
  @IsPlainObject({ message: 'notes must be an object' })
  notes?: Record<string, unknown> | null;
}

export class OrderDto {
  @ApiProperty({ example: 'order_NXhj3kPqR2sT4uVw' })
  id: string;
  @ApiProperty({ format: 'uuid', example: '550e8400-e29b-41d4-a716-446655440000' })
  merchant_id: string;
  @ApiProperty({ example: 50000 })
  amount: number;
  @ApiProperty({ example: 'INR' })
  currency: string;
  @ApiProperty({ type: String, nullable: true, example: 'receipt#42' })
  receipt: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, example: { customer: 'C-1001' } })
  notes: Record<string, unknown> | null;
  @ApiProperty({ enum: ['created', 'paid'], example: 'created' })
  status: 'created' | 'paid';
  @ApiProperty({ format: 'date-time', example: '2024-01-15T10:31:00.000Z' })
  created_at: string;
  @ApiProperty({ format: 'date-time', example: '2024-01-15T10:31:00.000Z' })
  updated_at: string;
}

export class PublicOrderDto {
  @ApiProperty({ example: 'order_NXhj3kPqR2sT4uVw' })
  id: string;
  @ApiProperty({ example: 50000 })
  amount: number;
  @ApiProperty({ example: 'INR' })
  currency: string;
  @ApiProperty({ enum: ['created', 'paid'], example: 'created' })
  status: 'created' | 'paid';
  @ApiProperty({ example: 'Test Merchant' })
  merchant_name: string;
  @ApiProperty({ format: 'date-time', example: '2024-01-15T10:31:00.000Z' })
  created_at: string;
}

export const OrderListDto = ListDtoOf(OrderDto, 'OrderListDto');
export type OrderListDto = ListResponse<OrderDto>;
