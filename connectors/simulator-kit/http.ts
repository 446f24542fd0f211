import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import express, { type Express, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
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

/** A request the simulator could not handle, with the status and wording every simulator uses. */
export interface RequestFailure {
  kind: 'NOT_FOUND' | 'INVALID_JSON' | 'TOO_LARGE' | 'INTERNAL';
  status: 404 | 400 | 413 | 500;
  detail: string;
}

/**
 * The last handlers of a simulator: unknown routes, unreadable or oversized bodies and unexpected
 * errors (logged), each answered through `answer` in the simulator's own error format.
 */
export function useFallbackHandlers(
  app: Express,
  logger: Logger,
  answer: (res: Response, req: Request, failure: RequestFailure) => void,
): void {
  app.use((req: Request, res: Response) => answer(res, req, { kind: 'NOT_FOUND', status: 404, detail: 'No such resource.' }));
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const type = (error as { type?: unknown }).type;
    if (type === 'entity.parse.failed') {
      answer(res, req, { kind: 'INVALID_JSON', status: 400, detail: 'The request body is not valid JSON.' });
    } else if (type === 'entity.too.large') {
      answer(res, req, { kind: 'TOO_LARGE', status: 413, detail: 'The request body is too large.' });
    } else {
      logger.error({ err: error }, 'unexpected error');
      if (!res.headersSent) answer(res, req, { kind: 'INTERNAL', status: 500, detail: 'Unexpected error in the simulator.' });
    }
  });
}

export interface ListeningSimulator {
  url: string;
  port: number;
  /** Closes the server, dropping open connections; the same promise on every call. */
  close(): Promise<void>;
}

/** A simulator served over HTTPS that requires a client certificate from `clientCaPem` (mutual TLS). */
export interface SimulatorTls {
  /** The server certificate (PEM, with its chain) and its key. */
  certificatePem: string;
  keyPem: string;
  /** The CAs whose client certificates are accepted (PEM). */
  clientCaPem: string;
}

/** The subject CN of a TLS caller's certificate (undefined over plain HTTP). */
export function clientCertificateName(req: Request): string | undefined {
  const socket = req.socket as Partial<TLSSocket>;
  const subject = socket.getPeerCertificate?.()?.subject as { CN?: string | string[] } | undefined;
  return Array.isArray(subject?.CN) ? subject.CN.join(', ') : subject?.CN;
}

/** The serial number (lower-case hex) of a TLS caller's certificate (undefined over plain HTTP). */
export function clientCertificateSerial(req: Request): string | undefined {
  const serial = (req.socket as Partial<TLSSocket>).getPeerCertificate?.()?.serialNumber;
  return serial ? serial.toLowerCase() : undefined;
}

/**
 * Refuses, in the simulator's own error format, a request over TLS that brought no client
 * certificate or one its CAs did not issue. The handshake itself lets them through (the server
 * asks without insisting) so that the caller gets an answer it can read, not a reset connection.
 */
export function requireClientCertificate(
  answer: (
    res: Response,
    failure: { status: 401 | 403; kind: 'CLIENT_CERTIFICATE_REQUIRED' | 'CLIENT_CERTIFICATE_UNTRUSTED'; detail: string },
  ) => void,
): RequestHandler {
  return (req, res, next) => {
    const socket = req.socket as TLSSocket;
    if (!('encrypted' in socket) || socket.authorized) {
      next();
      return;
    }
    const certificate = socket.getPeerCertificate();
    if (!certificate || Object.keys(certificate).length === 0) {
      answer(res, {
        status: 401,
        kind: 'CLIENT_CERTIFICATE_REQUIRED',
        detail: 'This registry is reached with a client certificate (mutual TLS).',
      });
    } else {
      answer(res, {
        status: 403,
        kind: 'CLIENT_CERTIFICATE_UNTRUSTED',
        detail: `The client certificate is not accepted (${String(socket.authorizationError)}).`,
      });
    }
  };
}

/** Starts `app` on `host`:`port` (0 for any free port), over HTTPS with client certificates when `tls` is given. */
export async function listenSimulator(app: Express, port: number, host: string, tls?: SimulatorTls): Promise<ListeningSimulator> {
  const server: Server = tls
    ? createHttpsServer(
        { cert: tls.certificatePem, key: tls.keyPem, ca: tls.clientCaPem, requestCert: true, rejectUnauthorized: false },
        app,
      )
    : createHttpServer(app);
  await new Promise<void>((ready, failed) => {
    server.once('error', failed);
    server.listen(port, host, () => {
      server.off('error', failed);
      ready();
    });
  });
  const address = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `${tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${address.port}`,
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
