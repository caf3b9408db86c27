import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../common/auth.decorators.js';

@ApiExcludeController()
@Controller()
export class RootController {
  @Get()
  @Public()
  root(@Res() reply: FastifyReply): void {
    void reply.redirect('/dashboard', 302);
  }
}
