import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { ApiKeyAuth, ApiKeyOrSessionAuth, CurrentMerchant, Public } from '../common/auth.decorators.js';
import { ApiListQuery } from '../common/list-query.decorator.js';
import { parseFilter, parsePage } from '../common/list-query.js';
import type { Merchant } from '../merchants/merchant.entity.js';
import { CreateOrderDto, OrderDto, OrderListDto, PublicOrderDto } from './orders.dto.js';
import { ORDER_STATUSES, OrdersService } from './orders.service.js';

@ApiTags('Orders')
@Controller('api/v1/orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Post()
  @ApiKeyAuth()
  @ApiOperation({ summary: 'Create an order' })
  @ApiCreatedResponse({ type: OrderDto })
  @ApiErrors(
    [400, 'BAD_REQUEST_ERROR', 'amount must be at least 100'],
    [400, 'BAD_REQUEST_ERROR', 'currency must be a 3-letter ISO code'],
  )
  create(@CurrentMerchant() merchant: Merchant, @Body() body: CreateOrderDto): Promise<OrderDto> {
    return this.orders.create(merchant.id, body);
  }

  @Get()
  @ApiKeyOrSessionAuth()
  @ApiOperation({ summary: 'List orders, newest first' })
  @ApiListQuery()
  @ApiQuery({ name: 'status', required: false, enum: ORDER_STATUSES })
  @ApiOkResponse({ type: OrderListDto })
  @ApiErrors([400, 'BAD_REQUEST_ERROR', 'limit must be an integer between 1 and 100'])
  list(@CurrentMerchant() merchant: Merchant, @Query() query: Record<string, string>): Promise<OrderListDto> {
    return this.orders.list(merchant.id, parsePage(query), parseFilter(query, 'status', ORDER_STATUSES));
  }

  @Get(':id/public')
  @Public()
  @ApiOperation({ summary: 'Public view of an order for the hosted checkout page' })
  @ApiOkResponse({ type: PublicOrderDto })
  @ApiErrors([404, 'NOT_FOUND_ERROR', 'Order not found'])
  findPublic(@Param('id') id: string): Promise<PublicOrderDto> {
    return this.orders.findPublic(id);
  }

  @Get(':id')
  @ApiKeyOrSessionAuth()
  @ApiOperation({ summary: 'Fetch one of your orders' })
  @ApiOkResponse({ type: OrderDto })
  @ApiErrors([404, 'NOT_FOUND_ERROR', 'Order not found'])
  findOne(@CurrentMerchant() merchant: Merchant, @Param('id') id: string): Promise<OrderDto> {
    return this.orders.findOne(merchant.id, id);
  }
}
