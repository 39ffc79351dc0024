/** Statuses worth retrying: the server may answer differently in a moment. */
export const transientStatuses: ReadonlySet<number> = new Set([408, 425, 429, 500, 502, 503, 504]);

/** Statuses that mean "you, specifically, are refused": retrying only confirms a ban. */
export const blockedStatuses: ReadonlySet<number> = new Set([401, 403, 451]);

const transientCodes = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'EAI_AGAIN',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

/**
 * Whether a failure without a response (reset connection, timeout, body cut short) is
 * transient. got wraps these; the Node error code survives on the wrapper.
 */
export function isTransientNetworkError(error: unknown): boolean {
  const name = (error as { name?: string }).name;
  const code = (error as { code?: string }).code;
  if (name === 'TimeoutError' || name === 'ReadError') return true;
  return code !== undefined && transientCodes.has(code);
}
