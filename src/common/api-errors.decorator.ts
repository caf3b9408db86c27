import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorEnvelopeDto } from './error-envelope.dto.js';

/** Documents error responses with the envelope schema and the contract's example descriptions. */
export function ApiErrors(...errors: [status: number, code: string, description: string][]) {
  const byStatus = new Map<number, [string, string][]>();
  for (const [status, code, description] of errors) {
    byStatus.set(status, [...(byStatus.get(status) ?? []), [code, description]]);
  }
  return applyDecorators(
    ...[...byStatus].map(([status, list]) =>
      ApiResponse({
        status,
        description: list.map(([, description]) => description).join(' / '),
        type: ErrorEnvelopeDto,
        content: {
          'application/json': {
            schema: { $ref: '#/components/schemas/ErrorEnvelopeDto' },
            examples: Object.fromEntries(
              list.map(([code, description], index) => [
                `${code}_${index}`,
                { summary: description, value: { error: { code, description } } },
              ]),
            ),
          },
        },
      }),
    ),
  );
}
