import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BullBoardFastifyAdapter } from '@bull-board/fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiException } from '../common/api.exception.js';
import { safeEqual } from '../common/crypto.js';
import { AppConfig } from '../config/app-config.js';
import { OutboxRelay } from '../jobs/outbox-relay.js';
import { ALL_QUEUES } from '../jobs/queues.js';
import { parseBasicAuth } from '../merchants/auth.guard.js';

export const ADMIN_QUEUES_PATH = '/admin/queues';

/**
 * Bull Board at /admin/queues behind HTTP Basic with ADMIN_USER / ADMIN_PASSWORD; not mounted at all
 * unless both are set (then the path is a plain 404 like any unknown route).
 */
export async function mountAdminQueues(app: NestFastifyApplication): Promise<boolean> {
  const admin = app.get(AppConfig).admin;
  if (!admin) return false;
  const relay = app.get(OutboxRelay);
  const serverAdapter = new BullBoardFastifyAdapter();
  serverAdapter.setBasePath(ADMIN_QUEUES_PATH);
  createBullBoard({
    queues: ALL_QUEUES.map((name) => new BullMQAdapter(relay.queue(name), { readOnlyMode: false })),
    serverAdapter,
  });
  const fastify = app.getHttpAdapter().getInstance();
  await fastify.register(
    async (scope) => {
      scope.addHook('onRequest', async (request, reply) => {
        const credentials = parseBasicAuth(request.headers.authorization);
        const ok =
          credentials && safeEqual(credentials.key, admin.user) && safeEqual(credentials.secret, admin.password);
        if (!ok) {
          const denied = ApiException.unauthorized();
          return reply
            .status(401)
            .header('WWW-Authenticate', 'Basic realm="queues"')
            .type('application/json; charset=utf-8')
            .send(JSON.stringify(denied.getResponse()));
        }
      });
      await scope.register(serverAdapter.registerPlugin() as never);
    },
    { prefix: ADMIN_QUEUES_PATH },
  );
  return true;
}
