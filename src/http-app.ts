import fastifyHelmet from '@fastify/helmet';
import type { DynamicModule, INestApplication, LoggerService, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import helmet from 'helmet';
import { PaymentsExceptionFilter } from './payments/errors/payments-exception.filter.js';
import type { ErrorBody } from './payments/errors/response-status.js';
import { useServiceStackBodyParsers } from './payments/servicestack/body-parser-errors.js';

export type HttpAdapterKind = 'express' | 'fastify';

/** 100 kB, as ServiceStack and body-parser default to. */
export const BODY_LIMIT_BYTES = 100 * 1024;

/** Swagger UI's inline styles need 'unsafe-inline' for styles; everything else stays helmet's default. */
const contentSecurityPolicy = {
  directives: { 'style-src': ["'self'", "'unsafe-inline'"], 'img-src': ["'self'", 'data:'] },
};

interface FastifyHookRequest {
  headers: Record<string, string | string[] | undefined>;
}
interface FastifyHookReply {
  code(status: number): FastifyHookReply;
  header(name: string, value: string): FastifyHookReply;
  send(body: string): unknown;
}

/** Express's body-parser refuses other charsets with a 415; Fastify would decode them as UTF-8. */
async function refuseNonUtf8Bodies(request: FastifyHookRequest, reply: FastifyHookReply) {
  const charset = /;\s*charset=("?)([^";]+)\1/i.exec(
    String(request.headers['content-type'] ?? ''),
  )?.[2];
  if (!charset || /^(utf-?8|us-ascii)$/i.test(charset)) return;
  const body: ErrorBody = {
    ResponseStatus: {
      ErrorCode: 'UnsupportedMediaType',
      Message: 'Send the request body as UTF-8',
      Errors: [],
    },
  };
  await reply
    .code(415)
    .header('Content-Type', 'application/json; charset=utf-8')
    .send(JSON.stringify(body));
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
    app.getHttpAdapter().getInstance().addHook('onRequest', refuseNonUtf8Bodies);
    app.useGlobalFilters(new PaymentsExceptionFilter());
    return app;
  }
  const app = await NestFactory.create(module, { rawBody: true, logger });
  app.use(helmet({ contentSecurityPolicy }));
  useServiceStackBodyParsers(app);
  app.useGlobalFilters(new PaymentsExceptionFilter());
  return app;
}
