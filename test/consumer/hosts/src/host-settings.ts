import { Injectable, Module } from '@nestjs/common';
import type { PaymentsStripeOptions, PaymentsWebhookOptions } from 'bokamera-payments';
import type { DataSourceOptions } from 'typeorm';

export type HttpAdapterKind = 'express' | 'fastify';

/** The host's own configuration, from its environment (the consumer test sets it). */
@Injectable()
export class HostSettings {
  readonly port = Number(required('HOST_PORT'));
  readonly adapter: HttpAdapterKind =
    process.env.HOST_ADAPTER === 'fastify' ? 'fastify' : 'express';
  readonly database = databaseOptions(required('HOST_DB_URL'));
  readonly stripe: PaymentsStripeOptions = {
    secretKey: required('STRIPE_SECRET_KEY'),
    apiUrl: required('STRIPE_API_URL'),
    webhookSecret: required('STRIPE_WEBHOOK_SECRET'),
  };
  /** Quick retries and polling: the test sees a listener that threw called again soon. */
  readonly webhooks: PaymentsWebhookOptions = {
    retryScheduleMs: [0, 200, 1000],
    pollIntervalMs: 100,
  };
  /** The company the host sells for, as the payments module knows it. */
  readonly paymentsCompanyId = required('PAYMENTS_COMPANY_ID');
  readonly stripeAccountId = required('STRIPE_ACCOUNT_ID');
}

@Module({ providers: [HostSettings], exports: [HostSettings] })
export class HostSettingsModule {}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

/** `sqlite:/path/file.sqlite` or `mariadb://user@host:3306/database`. */
function databaseOptions(url: string): DataSourceOptions {
  if (url.startsWith('sqlite:')) {
    return { type: 'better-sqlite3', database: url.slice('sqlite:'.length) };
  }
  return { type: 'mariadb', url };
}
