import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { ApiException } from '../common/api.exception.js';
import { Public } from '../common/auth.decorators.js';
import { JobsStatusService, type JobsStatus } from '../jobs/jobs-status.service.js';
import { MerchantsService, TEST_MERCHANT_ID } from '../merchants/merchants.service.js';

export class TestMerchantDto {
  @ApiProperty({ format: 'uuid', example: TEST_MERCHANT_ID })
  id: string;
  @ApiProperty({ example: 'test@example.com' })
  email: string;
  @ApiProperty({ example: 'key_test_abc123' })
  api_key: string;
  @ApiProperty({ example: true })
  seeded: boolean;
}

export class JobsStatusDto {
  @ApiProperty({ description: 'waiting + delayed + prioritized, over the three queues', example: 0 })
  pending: number;
  @ApiProperty({ description: 'active jobs', example: 0 })
  processing: number;
  @ApiProperty({ example: 42 })
  completed: number;
  @ApiProperty({ example: 0 })
  failed: number;
  @ApiProperty({ enum: ['running', 'stopped'], example: 'running' })
  worker_status: 'running' | 'stopped';
}

/** [T] endpoints: registered only when NODE_ENV ≠ production (CONTRACT §5.1). */
@ApiTags('Test support (non-production only)')
@Controller('api/v1/test')
export class TestSupportController {
  constructor(
    private readonly merchants: MerchantsService,
    private readonly jobs: JobsStatusService,
  ) {}

  @Get('merchant')
  @Public()
  @ApiOperation({ summary: 'The seeded test merchant (never its secret)' })
  @ApiOkResponse({ type: TestMerchantDto })
  @ApiErrors([404, 'NOT_FOUND_ERROR', 'Merchant not found'])
  async merchant(): Promise<TestMerchantDto> {
    const merchant = await this.merchants.findActiveById(TEST_MERCHANT_ID);
    if (!merchant) throw ApiException.notFound('Merchant not found');
    return { id: merchant.id, email: merchant.email, api_key: merchant.apiKey, seeded: true };
  }

  @Get('jobs/status')
  @Public()
  @ApiOperation({ summary: 'Job counts over the payments, webhooks and refunds queues, and worker liveness' })
  @ApiOkResponse({ type: JobsStatusDto })
  jobsStatus(): Promise<JobsStatus> {
    return this.jobs.status();
  }
}
