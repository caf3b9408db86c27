/** True for errors meaning PostgreSQL or Redis could not be reached (→ 503, not 500). */
export function isDependencyUnavailable(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const { code, message = '', name = '' } = error as { code?: string; message?: string; name?: string };
  if (
    code &&
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'EAI_AGAIN'].includes(code)
  ) {
    return true;
  }
  // PostgreSQL: connection exceptions (08xxx), admin shutdown / cannot connect now (57P0x).
  if (code && (/^08/.test(code) || /^57P0[1-3]$/.test(code))) return true;
  if (name === 'MaxRetriesPerRequestError') return true;
  return /Connection terminated|timeout exceeded when trying to connect|Connection is closed|Stream isn't writeable|connect ECONNREFUSED|Client has encountered a connection error|Cannot use a pool after calling end/i.test(
    message,
  );
}

/**
 * PostgreSQL refuses some text a JSON body can carry (a NUL character, an unpaired UTF-16 surrogate
 * in JSON): a client error, and the transaction was rolled back, so nothing was written.
 */
export function isUnstorableText(error: unknown): boolean {
  const code =
    (error as { code?: string; driverError?: { code?: string } })?.driverError?.code ??
    (error as { code?: string })?.code;
  return code === '22021' || code === '22P05' || code === '22P02';
}
