import { ApiProperty } from '@nestjs/swagger';

export class ErrorBodyDto {
  /** Machine-readable error code (CONTRACT §2.3). */
  @ApiProperty({ description: 'Machine-readable error code (CONTRACT §2.3).', example: 'BAD_REQUEST_ERROR' })
  code: string;

  /** Human-readable description naming the offending field where there is one. */
  @ApiProperty({
    description: 'Human-readable description naming the offending field where there is one.',
    example: 'amount must be at least 100',
  })
  description: string;
}

/** Every error response: `{"error":{"code":"...","description":"..."}}`. */
export class ErrorEnvelopeDto {
  @ApiProperty({ type: ErrorBodyDto })
  error: ErrorBodyDto;
}
