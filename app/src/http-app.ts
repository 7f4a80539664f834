import fastifyHelmet from '@fastify/helmet';
import type { DynamicModule, INestApplication, LoggerService, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import helmet from 'helmet';
import type { FastifyError, FastifyReply } from 'fastify';
import type { Server } from 'node:http';
import {
  BODY_LIMIT_BYTES,
  useServiceStackBodyParsers,
  useServiceStackErrors,
} from 'bokamera-payments';
import { answerClientError, answerFrameworkError, responseStatusJson } from './protocol-errors.js';

export type HttpAdapterKind = 'express' | 'fastify';

const JSON_TYPE = 'application/json; charset=utf-8';
interface ExpressResponse {
  status(status: number): ExpressResponse;
  type(contentType: string): ExpressResponse;
  send(body: string): unknown;
}

/** Swagger UI's inline styles need 'unsafe-inline' for styles; everything else stays helmet's default. */
const contentSecurityPolicy = {
  directives: { 'style-src': ["'self'", "'unsafe-inline'"], 'img-src': ["'self'", 'data:'] },
};

interface HttpRequest {
  headers: Record<string, string | string[] | undefined>;
  /** Express' request is node's; Fastify's wraps it. */
  httpVersion?: string;
  raw?: { httpVersion: string };
}

const CHARSET_REFUSED = responseStatusJson(
  'UnsupportedMediaType',
  'Send the request body as UTF-8',
);
const HOST_MISSING = responseStatusJson(
  'BadRequest',
  'An HTTP/1.1 request must send a Host header',
);

/**
 * What is refused before any route: a body in another charset than UTF-8 (Fastify would decode any
 * charset as UTF-8, and Express's form parser would accept ISO-8859-1 that the ServiceStack form
 * binding then reads as UTF-8), and an HTTP/1.1 request without Host (node's own check, which
 * answers without a body, is switched off for this one).
 */
function refusal(request: HttpRequest): { status: number; body: string } | undefined {
  const contentType = String(request.headers['content-type'] ?? '');
  const charset = /;\s*charset=("?)([^";]+)\1/i.exec(contentType)?.[2];
  if (charset !== undefined && !/^(utf-?8|us-ascii)$/i.test(charset)) {
    return { status: 415, body: CHARSET_REFUSED };
  }
  const version = request.raw?.httpVersion ?? request.httpVersion;
  if (version === '1.1' && request.headers.host === undefined) {
    return { status: 400, body: HOST_MISSING };
  }
  return undefined;
}

/** Node's own Host check answers 400 without a body; `refusal()` makes the same check. */
function checkHostOurselves(server: Server): void {
  (server as Server & { requireHostHeader: boolean }).requireHostHeader = false;
}

/**
 * The HTTP app of the standalone service on either adapter: raw body for webhooks, 100 kB bodies,
 * body errors as ResponseStatus, security headers, and ResponseStatus for unknown routes and for
 * what the HTTP parser or Fastify's router refuse before any route (431, 414, bad chunking, ...).
 */
export async function createHttpApp(
  module: DynamicModule,
  adapter: HttpAdapterKind,
  logger: LoggerService | LogLevel[] | false,
): Promise<INestApplication> {
  if (adapter === 'fastify') {
    const app = await NestFactory.create<NestFastifyApplication>(
      module,
      new FastifyAdapter({
        bodyLimit: BODY_LIMIT_BYTES,
        clientErrorHandler: answerClientError,
        frameworkErrors: (error: FastifyError, _request: unknown, reply: FastifyReply) =>
          answerFrameworkError(error, reply),
      }),
      { rawBody: true, logger },
    );
    await app.register(fastifyHelmet, { contentSecurityPolicy });
    checkHostOurselves(app.getHttpServer() as Server);
    const fastify = app.getHttpAdapter().getInstance();
    fastify.addHook('onRequest', async (request: HttpRequest, reply: FastifyReply) => {
      const refused = refusal(request);
      if (refused) await reply.code(refused.status).type(JSON_TYPE).send(refused.body);
    });
    useServiceStackErrors(app);
    return app;
  }
  const app = await NestFactory.create(module, { rawBody: true, logger });
  const server = app.getHttpServer() as Server;
  server.on('clientError', answerClientError);
  checkHostOurselves(server);
  app.use(helmet({ contentSecurityPolicy }));
  app.use((request: HttpRequest, response: ExpressResponse, next: () => void) => {
    const refused = refusal(request);
    if (refused) response.status(refused.status).type(JSON_TYPE).send(refused.body);
    else next();
  });
  useServiceStackBodyParsers(app);
  useServiceStackErrors(app);
  return app;
}
