/** Limits and addresses of the prediction server. Every default is safe for a loopback demo. */
export interface ServerOptions {
  /** Address to bind; loopback unless the operator chooses otherwise. */
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Largest request body accepted, in bytes; larger gets 413. */
  bodyLimit: number;
  /** Most predictions in one batch request. */
  maxBatch: number;
  /** Forward passes one request may spend on exact contributions (2^features per explained prediction). */
  explainBudget: number;
  /** A request not completed within this many milliseconds gets 408 and its socket is closed. */
  requestTimeoutMs: number;
  /** Idle keep-alive sockets are closed after this many milliseconds. */
  keepAliveTimeoutMs: number;
  /** On shutdown, in-flight requests get this long to finish before their sockets are destroyed. */
  shutdownGraceMs: number;
}

export const defaultServerOptions: ServerOptions = {
  host: '127.0.0.1',
  port: 8787,
  bodyLimit: 256 * 1024,
  maxBatch: 256,
  explainBudget: 2 ** 14,
  requestTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5_000,
  shutdownGraceMs: 10_000,
};
