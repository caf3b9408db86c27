import { applyDecorators } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';

/** Paging parameters of CONTRACT §2.4, with Razorpay's aliases (§5.5a). */
export const ApiListQuery = () =>
  applyDecorators(
    ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 100, default: 10 } }),
    ApiQuery({ name: 'offset', required: false, schema: { type: 'integer', minimum: 0, default: 0 } }),
    ApiQuery({ name: 'count', required: false, description: 'Razorpay alias of limit', schema: { type: 'integer' } }),
    ApiQuery({ name: 'skip', required: false, description: 'Razorpay alias of offset', schema: { type: 'integer' } }),
  );
