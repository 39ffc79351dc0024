import type { FastifyInstance } from 'fastify';
import { ExitCode, MlfolioError } from '../portfolio/errors.ts';
import type { ServerOptions } from './server-options.ts';

/**
 * Starts listening; a port in use, a privileged port or a foreign address is `E_LISTEN_FAILED`
 * (the app is closed first). Returns `http://host:port`.
 */
export async function listenOn(app: FastifyInstance, settings: ServerOptions): Promise<string> {
  try {
    await app.listen({ host: settings.host, port: settings.port });
  } catch (error) {
    await app.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      throw new MlfolioError(
        {
          code: 'E_LISTEN_FAILED',
          message: `Cannot listen on ${settings.host}:${settings.port}: ${code === 'EADDRINUSE' ? 'the port is in use' : code === 'EACCES' ? 'permission denied' : 'the address is not on this machine'}.`,
          hint: 'Choose another port with --port (0 picks a free one) or another address with --host.',
          exitCode: ExitCode.unavailable,
        },
        { cause: error },
      );
    }
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : settings.port;
  const host = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
  return `http://${host}:${port}`;
}

/**
 * Closes the server on SIGINT or SIGTERM: it stops accepting connections, answers new requests on
 * open sockets with 503, lets in-flight requests finish, and after `graceMs` destroys whatever is
 * left. A second signal skips the wait. Resolves once the server is closed.
 */
export function closeOnSignals(
  app: FastifyInstance,
  graceMs: number,
  onSignal: (signal: string) => void = () => {},
): Promise<void> {
  return new Promise((resolve, reject) => {
    let closing = false;
    const handler = (signal: NodeJS.Signals) => {
      if (closing) {
        app.server.closeAllConnections();
        return;
      }
      closing = true;
      onSignal(signal);
      const deadline = setTimeout(() => app.server.closeAllConnections(), graceMs);
      deadline.unref();
      app.close().then(
        () => {
          clearTimeout(deadline);
          process.off('SIGINT', handler);
          process.off('SIGTERM', handler);
          resolve();
        },
        (error: unknown) => reject(error),
      );
    };
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
  });
}
