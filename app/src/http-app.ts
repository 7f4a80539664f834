import fastifyHelmet from '@fastify/helmet';
import type { DynamicModule, INestApplication, LoggerService, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import helmet from 'helmet';
import { PaymentsExceptionFilter } from 'bokamera-payments';
import type { ErrorBody } from 'bokamera-payments';
import { BODY_LIMIT_BYTES, useServiceStackBodyParsers } from 'bokamera-payments';

export type HttpAdapterKind = 'express' | 'fastify';

const JSON_TYPE = 'application/json; charset=utf-8';
interface FastifyReply {
  code(status: number): FastifyReply;
  type(contentType: string): FastifyReply;
  send(body: string): unknown;
}
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
}

const CHARSET_REFUSED = JSON.stringify({
  ResponseStatus: {
    ErrorCode: 'UnsupportedMediaType',
    Message: 'Send the request body as UTF-8',
    Errors: [],
  },
} satisfies ErrorBody);

/**
 * Bodies must be UTF-8: Fastify would decode any charset as UTF-8, and Express's form parser would
 * accept ISO-8859-1 that the ServiceStack form binding then reads as UTF-8. Both answer 415.
 */
function refusesCharset(request: HttpRequest): boolean {
  const contentType = String(request.headers['content-type'] ?? '');
  const charset = /;\s*charset=("?)([^";]+)\1/i.exec(contentType)?.[2];
  return charset !== undefined && !/^(utf-?8|us-ascii)$/i.test(charset);
}

/**
 * The HTTP app of the standalone service on either adapter: raw body for webhooks, 100 kB bodies,
 * body errors as ResponseStatus, security headers, and ResponseStatus for unknown routes too.
 */
export async function createHttpApp(
  module: DynamicModule,
  adapter: HttpAdapterKind,
  logger: LoggerService | LogLevel[] | false,
): Promise<INestApplication> {
  if (adapter === 'fastify') {
    const app = await NestFactory.create<NestFastifyApplication>(
      module,
      new FastifyAdapter({ bodyLimit: BODY_LIMIT_BYTES }),
      { rawBody: true, logger },
    );
    await app.register(fastifyHelmet, { contentSecurityPolicy });
    const fastify = app.getHttpAdapter().getInstance();
    fastify.addHook('onRequest', async (request: HttpRequest, reply: FastifyReply) => {
      if (refusesCharset(request)) await reply.code(415).type(JSON_TYPE).send(CHARSET_REFUSED);
    });
    app.useGlobalFilters(new PaymentsExceptionFilter());
    return app;
  }
  const app = await NestFactory.create(module, { rawBody: true, logger });
  app.use(helmet({ contentSecurityPolicy }));
  app.use((request: HttpRequest, response: ExpressResponse, next: () => void) => {
    if (refusesCharset(request)) response.status(415).type(JSON_TYPE).send(CHARSET_REFUSED);
    else next();
  });
  useServiceStackBodyParsers(app);
  app.useGlobalFilters(new PaymentsExceptionFilter());
  return app;
}
