import { setTimeout as sleep } from 'node:timers/promises';
import { Checkout, ReconciliationService, RetentionService } from '../../src/index.js';
import { waitUntil } from './wait-until.js';
import { startWebhookReceiver } from './webhook-receiver.js';
import type { History } from './seed-history.js';
import { emulatorStripe, insertCreatingWithSession } from './stuck-checkout.js';
import { SALON, salonCheckout, type TestApp } from './test-app.js';

/** One way the service is used; every statement it sends must be served by an index. */
export interface QueryPath {
  name: string;
  drive(t: TestApp, history: History): Promise<void>;
}

/**
 * The paths test/e2e/query-plans.e2e.spec.ts drives against a seeded database, each through the
 * real app. A new path (a background job, say) is one more entry.
 */
export const QUERY_PATHS: QueryPath[] = [
  {
    name: 'create for a new payable',
    drive: async (t) => {
      await create(t, salonCheckout());
    },
  },
  {
    name: 'create again for a payable with thousands of checkouts (the previous one invalidated)',
    drive: async (t, { busyPayableRef }) => {
      await create(t, salonCheckout({ InternalReferenceId: busyPayableRef }));
      await create(t, salonCheckout({ InternalReferenceId: busyPayableRef }));
    },
  },
  {
    name: 'GET the current checkout of a payable with thousands of checkouts',
    drive: async (t, { busyPayableRef }) => {
      await t.http
        .get('/payment/stripe/v1/checkout')
        .query({ CompanyId: SALON, InternalReferenceId: busyPayableRef })
        .set('x-api-key', 'demo-api-key')
        .expect(200);
    },
  },
  {
    name: 'GET the last checkout of a payable whose sessions all ended',
    drive: async (t) => {
      await t.http
        .get('/payment/stripe/v1/checkout')
        .query({ CompanyId: SALON, InternalReferenceId: 'history-0' })
        .set('x-api-key', 'demo-api-key')
        .expect(200);
    },
  },
  {
    name: 'status of a session',
    drive: async (t) => {
      const sessionId = await create(t, salonCheckout());
      await t.http
        .post('/payment/stripe/v1/checkout/status')
        .set('x-api-key', 'demo-api-key')
        .send({ CompanyId: SALON, SessionId: sessionId })
        .expect(200);
    },
  },
  {
    name: 'webhooks: a session paid, another expired',
    drive: async (t) => {
      const paid = await create(t, salonCheckout());
      const expired = await create(t, salonCheckout());
      await t.emulator.pay(paid);
      await t.emulator.expire(expired);
      await stateIs(t, paid, 'complete');
      await stateIs(t, expired, 'expired');
      // Stripe's retry of an event already processed.
      const event = t.emulator.events.find((e) => e.type === 'checkout.session.completed');
      if (event) await t.emulator.resendEvent(event.id);
    },
  },
  {
    name: 'reconciliation: a create left creating, a session paid without its webhook',
    drive: async (t) => {
      await insertCreatingWithSession(t, emulatorStripe(t), `plans-crash-${Date.now()}`);
      const paid = await create(t, salonCheckout());
      await t.emulator.pay(paid, { sendWebhook: false });
      const later = new Date(Date.now() + 10 * 60_000);
      const report = await t.app.get(ReconciliationService).reconcile(later);
      if (report.failed > 0) throw new Error(`reconciliation failed: ${JSON.stringify(report)}`);
    },
  },
  {
    name: 'event delivery: an endpoint registered, a checkout invalidated, a payable paid',
    drive: async (t) => {
      const secrets: string[] = [];
      const receiver = await startWebhookReceiver({
        secrets: () => secrets,
        answer: () => ({ status: 200 }),
      });
      try {
        const endpoint = await t.http
          .post('/webhook/endpoints')
          .set('x-api-key', 'demo-api-key')
          .send({ CompanyId: SALON, Url: `${receiver.url}/hook`, EventTypes: ['*'] })
          .expect(200);
        secrets.push(endpoint.body.Secret as string);
        const body = salonCheckout();
        await create(t, body);
        await t.emulator.pay(await create(t, body));
        await waitUntil(async () => receiver.effects.size >= 2, 'both events delivered');
        await t.http
          .get(`/webhook/endpoints/${endpoint.body.Id}/attempts`)
          .query({ CompanyId: SALON })
          .set('x-api-key', 'demo-api-key')
          .expect(200);
        await t.http
          .get('/payment/events')
          .query({ CompanyId: SALON, After: 0 })
          .set('x-api-key', 'demo-api-key')
          .expect(200);
      } finally {
        await receiver.close();
      }
    },
  },
  {
    name: 'retention',
    drive: async (t) => {
      const report = await t.app.get(RetentionService).prune();
      if (!report.ran || report.batches === 0) throw new Error('retention pruned nothing');
    },
  },
];

async function create(t: TestApp, body: Record<string, unknown>): Promise<string> {
  const res = await t.http
    .post('/payment/stripe/v1/checkout')
    .set('x-api-key', 'demo-api-key')
    .send(body)
    .expect(200);
  return res.body.SessionId as string;
}

/** Webhooks arrive on their own: waits (bounded) for their effect. */
async function stateIs(t: TestApp, stripeSessionId: string, state: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const row = await t.dataSource.getRepository(Checkout).findOneBy({ stripeSessionId });
    if (row?.state === state) return;
    if (Date.now() > deadline) throw new Error(`${stripeSessionId} never became ${state}`);
    await sleep(20);
  }
}
