import { Body, Controller, Get, HttpCode, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import '@fastify/cookie';
import type { FastifyReply } from 'fastify';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { ApiKeyOrSessionAuth, CurrentMerchant, OptionalSession, Public } from '../common/auth.decorators.js';
import { AppConfig } from '../config/app-config.js';
import { CredentialsDto, LoginDto, MerchantProfileDto, SignupDto, SignupResponseDto } from './auth.dto.js';
import type { Merchant } from './merchant.entity.js';
import { MerchantsService, type MerchantProfile } from './merchants.service.js';
import { SESSION_COOKIE, SESSION_TTL_SECONDS, SessionsService } from './sessions.service.js';
import { Cookies } from './cookies.decorator.js';

@ApiTags('Dashboard auth & merchant')
@Controller('api/v1')
export class AuthController {
  constructor(
    private readonly merchants: MerchantsService,
    private readonly sessions: SessionsService,
    private readonly config: AppConfig,
  ) {}

  @Post('auth/signup')
  @Public()
  @ApiOperation({ summary: 'Create a merchant account (sets the gw_session cookie)' })
  @ApiCreatedResponse({ type: SignupResponseDto })
  @ApiErrors(
    [400, 'BAD_REQUEST_ERROR', 'password must be at least 8 characters'],
    [409, 'CONFLICT_ERROR', 'Email already registered'],
  )
  async signup(@Body() body: SignupDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<SignupResponseDto> {
    const { merchant, apiSecret, webhookSecret } = await this.merchants.signup(body);
    await this.startSession(reply, merchant);
    const profile = this.merchants.toProfile(merchant);
    return {
      id: profile.id,
      name: profile.name,
      email: profile.email,
      api_key: profile.api_key,
      api_secret: apiSecret,
      webhook_secret: webhookSecret,
      webhook_url: null,
      created_at: profile.created_at,
    };
  }

  @Post('auth/login')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Log in to the dashboard (sets the gw_session cookie)' })
  @ApiOkResponse({ type: MerchantProfileDto })
  @ApiErrors([401, 'AUTHENTICATION_ERROR', 'Invalid email or password'])
  async login(@Body() body: LoginDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<MerchantProfile> {
    const merchant = await this.merchants.login(body.email, body.password);
    await this.startSession(reply, merchant);
    return this.merchants.toProfile(merchant);
  }

  @Post('auth/logout')
  @OptionalSession()
  @HttpCode(204)
  @ApiOperation({ summary: 'Log out: revokes the session server-side and clears the cookie' })
  @ApiNoContentResponse({ description: 'Always, with or without a valid session' })
  async logout(
    @Cookies(SESSION_COOKIE) token: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    if (token) await this.sessions.revoke(token);
    void reply.clearCookie(SESSION_COOKIE, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: this.config.isProduction,
    });
  }

  @Get('merchants/me')
  @ApiKeyOrSessionAuth()
  @ApiOperation({ summary: 'The authenticated merchant' })
  @ApiOkResponse({ type: MerchantProfileDto })
  me(@CurrentMerchant() merchant: Merchant): MerchantProfile {
    return this.merchants.toProfile(merchant);
  }

  @Get('merchants/me/credentials')
  @ApiKeyOrSessionAuth()
  @ApiOperation({ summary: 'API key and secret of the authenticated merchant' })
  @ApiOkResponse({ type: CredentialsDto })
  credentials(@CurrentMerchant() merchant: Merchant): CredentialsDto {
    return this.merchants.credentials(merchant);
  }

  @Post('merchants/me/regenerate-keys')
  @ApiKeyOrSessionAuth()
  @HttpCode(200)
  @ApiOperation({ summary: 'Issue a new API secret (same key); the old secret stops working immediately' })
  @ApiOkResponse({ type: CredentialsDto })
  regenerateKeys(@CurrentMerchant() merchant: Merchant): Promise<CredentialsDto> {
    return this.merchants.regenerateKeys(merchant.id);
  }

  private async startSession(reply: FastifyReply, merchant: Merchant): Promise<void> {
    const token = await this.sessions.create(merchant.id);
    void reply.setCookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      path: '/',
      maxAge: SESSION_TTL_SECONDS,
      secure: this.config.isProduction,
    });
  }
}
