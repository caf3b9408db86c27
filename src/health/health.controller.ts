import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { Public } from '../common/auth.decorators.js';
import { RedisService } from '../common/redis.service.js';

const PING_TIMEOUT_MS = 2000;

export class HealthDto {
  @ApiProperty({ enum: ['healthy', 'unhealthy'], example: 'healthy' })
  status: 'healthy' | 'unhealthy';
  @ApiProperty({ enum: ['connected', 'disconnected'], example: 'connected' })
  database: 'connected' | 'disconnected';
  @ApiProperty({ enum: ['connected', 'disconnected'], example: 'connected' })
  redis: 'connected' | 'disconnected';
  @ApiProperty({ format: 'date-time', example: '2024-01-15T10:31:00.000Z' })
  timestamp: string;
}

@ApiTags('System')
@Controller('health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly redis: RedisService,
  ) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Liveness of the gateway and its PostgreSQL and Redis' })
  @ApiOkResponse({ type: HealthDto })
  @ApiServiceUnavailableResponse({ type: HealthDto, description: 'PostgreSQL or Redis did not answer within 2 s' })
  async health(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthDto> {
    const [database, redis] = await Promise.all([this.pingDatabase(), this.redis.ping(PING_TIMEOUT_MS)]);
    const healthy = database && redis;
    void reply.status(healthy ? 200 : 503).header('access-control-allow-origin', '*');
    return {
      status: healthy ? 'healthy' : 'unhealthy',
      database: database ? 'connected' : 'disconnected',
      redis: redis ? 'connected' : 'disconnected',
      timestamp: new Date().toISOString(),
    };
  }

  private async pingDatabase(): Promise<boolean> {
    try {
      await Promise.race([
        this.dataSource.query('SELECT 1'),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), PING_TIMEOUT_MS).unref()),
      ]);
      return true;
    } catch {
      return false;
    }
  }
}
