import 'reflect-metadata';
import { ValidationPipe, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { useServiceStackBodyParsers } from 'bokamera-payments';
import { HostAppModule } from './app.module.js';
import { HostSettings, type HttpAdapterKind } from './host-settings.js';

/** `rawBody: true`: the webhook checks Stripe's signature over the bytes it was sent. */
async function createApp(adapter: HttpAdapterKind): Promise<INestApplication> {
  if (adapter === 'fastify') {
    return NestFactory.create(HostAppModule, new FastifyAdapter(), { rawBody: true });
  }
  const app = await NestFactory.create(HostAppModule, { rawBody: true });
  // Malformed and too large bodies answered as ServiceStack's ResponseStatus, as the module's errors.
  useServiceStackBodyParsers(app);
  return app;
}

// No top-level await: the same file is compiled as CommonJS for the CommonJS host.
async function main(): Promise<void> {
  const { adapter, port } = new HostSettings();
  const app = await createApp(adapter);
  app.setGlobalPrefix('host');
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true }));
  app.enableShutdownHooks();
  await app.listen(port, '127.0.0.1');
  console.log(`host (${adapter}) listening on http://127.0.0.1:${port}/host`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
