import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express, type Request, type Response } from 'express';
import type { Logger } from '../../platform/logger';

/**
 * An Express app with the simulators' defaults and an access log of one line per request.
 * `describe` gives the route and operation fields; it must never log ids, names or credentials.
 */
export function createSimulatorApp(logger: Logger, describe: (req: Request, res: Response) => Record<string, unknown>): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use((req, res, next) => {
    const since = performance.now();
    res.on('close', () => {
      logger.info(
        {
          method: req.method,
          ...describe(req, res),
          fault: res.locals.fault,
          status: res.writableFinished ? res.statusCode : undefined,
          aborted: !res.writableFinished || undefined,
          durationMs: Math.round(performance.now() - since),
        },
        'request',
      );
    });
    next();
  });
  return app;
}

export interface ListeningSimulator {
  url: string;
  port: number;
  /** Closes the server, dropping open connections; the same promise on every call. */
  close(): Promise<void>;
}

/** Starts `app` on `host`:`port` (0 for any free port). */
export async function listenSimulator(app: Express, port: number, host: string): Promise<ListeningSimulator> {
  const server: Server = await new Promise((ready, failed) => {
    const listening = app.listen(port, host, (error?: Error) => (error ? failed(error) : ready(listening)));
  });
  const address = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`,
    port: address.port,
    close: () => {
      closing ??= new Promise<void>((done, failed) => {
        server.close((error) => (error ? failed(error) : done()));
        // Held (timeout fault) and keep-alive connections would keep close() waiting.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
