import type { Type } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import type { ListResponse } from './list-query.js';

/**
 * The list envelope of CONTRACT §2.4 for one item type, as a named class so Swagger documents each
 * list with its own schema (`OrderListDto`, ...).
 */
export function ListDtoOf<T>(item: Type<T>, name: string): Type<ListResponse<T>> {
  class ListDto implements ListResponse<T> {
    @ApiProperty({ type: [item], description: 'Newest first (created_at DESC, then id DESC)' })
    data: T[];

    @ApiProperty({ description: 'All rows matching the filters', example: 1 })
    total: number;

    @ApiProperty({ minimum: 1, maximum: 100, example: 10 })
    limit: number;

    @ApiProperty({ minimum: 0, example: 0 })
    offset: number;
  }
  Object.defineProperty(ListDto, 'name', { value: name });
  return ListDto;
}
