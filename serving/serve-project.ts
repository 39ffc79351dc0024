import type { FastifyInstance } from 'fastify';
import { resolveDeployedModel } from '../operations/deployed-model.ts';
import type { Workspace } from '../portfolio/workspace.ts';
import { loadPredictor, type Predictor } from './predictor.ts';
import { buildServer, type ServerDependencies } from './server.ts';
import { defaultServerOptions, type ServerOptions } from './server-options.ts';

export interface RunningServer {
  app: FastifyInstance;
  predictor: Predictor;
  /** `http://host:port` */
  url: string;
}

/** Loads the project's deployed model and serves it until `app.close()`. */
export async function serveProject(
  workspace: Workspace,
  slug: string,
  options: Partial<ServerOptions> = {},
  extra: Pick<ServerDependencies, 'logger' | 'beforePredict'> = {},
): Promise<RunningServer> {
  const deployed = await resolveDeployedModel(workspace, slug);
  const predictor = await loadPredictor(deployed);
  const settings = { ...defaultServerOptions, ...options };
  const app = await buildServer({
    predictor,
    metrics: deployed.model.metrics,
    testPeriod: deployed.run.split.test,
    options: settings,
    ...extra,
  });
  await app.listen({ host: settings.host, port: settings.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : settings.port;
  const host = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
  return { app, predictor, url: `http://${host}:${port}` };
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
