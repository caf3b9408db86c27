import { describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { PinoNestLogger, REDACTED_PATHS, requestContext } from './logger.js';

function capture(): { lines: string[]; logger: pino.Logger } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, logger: pino({ redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, stream) };
}

describe('logging', () => {
  it('should redact secrets, credentials and card fields', () => {
    const { lines, logger } = capture();
    logger.info({
      req: { headers: { authorization: 'Basic abc', 'x-api-secret': 'secret_test_xyz789', cookie: 'gw_session=x' } },
      body: { card: { number: '4111111111111111', cvv: '123' }, api_secret: 'secret_test_xyz789' },
      merchant: { webhook_secret: 'whsec_test_abc123', password: 'password123' },
    });
    const line = lines.join('');
    for (const secret of [
      'Basic abc',
      'secret_test_xyz789',
      'gw_session=x',
      '4111111111111111',
      'whsec_test_abc123',
      'password123',
    ]) {
      expect(line).not.toContain(secret);
    }
    expect(line).toContain('[redacted]');
  });

  it('should add the request id and context to Nest log lines', () => {
    const { lines, logger } = capture();
    const sut = new PinoNestLogger(logger);
    requestContext.run({ requestId: 'req-42' }, () => sut.warn('careful', 'Payments'));
    const entry = JSON.parse(lines[0]);
    expect(entry).toMatchObject({ msg: 'careful', context: 'Payments', reqId: 'req-42', level: 40 });
  });
});
