import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiException } from '../common/api.exception.js';
import { Public } from '../common/auth.decorators.js';
import { loadStaticBundle } from './static-files.js';

/**
 * HTML entry points of the dashboard SPA and the hosted checkout page, and the SDK bundle (CONTRACT
 * §1.1, §9). Every dashboard route answers the app HTML so deep links survive a reload; the app
 * itself sends unauthenticated visitors to /login. Assets are served under /assets/ by @fastify/static.
 */
@ApiExcludeController()
@Public()
@Controller()
export class StaticController {
  private readonly bundle = loadStaticBundle();

  @Get(['login', 'signup', 'dashboard', 'dashboard/*'])
  dashboard(@Res() reply: FastifyReply): void {
    this.sendHtml(reply, this.bundle.dashboardHtml, false);
  }

  @Get('checkout')
  checkout(@Res() reply: FastifyReply): void {
    this.sendHtml(reply, this.bundle.checkoutHtml, true);
  }

  @Get(['checkout.js', 'sdk/checkout.js'])
  @Header('Access-Control-Allow-Origin', '*')
  @Header('Cache-Control', 'public, max-age=300')
  sdk(@Res() reply: FastifyReply): void {
    if (this.bundle.sdkJs === null) throw ApiException.notFound('Route not found');
    void reply.type('application/javascript; charset=utf-8').send(this.bundle.sdkJs);
  }

  private sendHtml(reply: FastifyReply, html: string | null, frameable: boolean): void {
    if (html === null) throw ApiException.notFound('Route not found');
    void reply
      .header('Cache-Control', 'no-cache')
      .header('Content-Security-Policy', contentSecurityPolicy(frameable))
      .header('Referrer-Policy', frameable ? 'no-referrer' : 'same-origin')
      .type('text/html; charset=utf-8');
    if (!frameable) void reply.header('X-Frame-Options', 'DENY');
    void reply.send(html);
  }
}

/** Same-origin scripts, styles and API calls; only /checkout may be framed, by anyone. */
export function contentSecurityPolicy(frameable: boolean): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "font-src 'self' data:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    frameable ? 'frame-ancestors *' : "frame-ancestors 'none'",
  ].join('; ');
}
