import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

/** A cookie parsed by @fastify/cookie. */
export const Cookies = createParamDecorator((name: string, context: ExecutionContext): string | undefined => {
  const request = context.switchToHttp().getRequest<{ cookies?: Record<string, string | undefined> }>();
  return request.cookies?.[name];
});
