import { OutboxEvent, Payable } from '../../src/index.js';
import { salonCheckout, type TestApp } from './test-app.js';
import { waitUntil } from './wait-until.js';

/** A salon payable created and paid at the emulator; resolves with its `payable.paid` event. */
export async function paidPayableEvent(t: TestApp, apiKey = 'demo-api-key'): Promise<OutboxEvent> {
  const body = salonCheckout();
  const res = await t.http
    .post('/payment/stripe/v1/checkout')
    .set('x-api-key', apiKey)
    .send(body)
    .expect(200);
  await t.emulator.pay(res.body.SessionId as string);
  return waitUntil(async () => {
    const payable = await t.dataSource
      .getRepository(Payable)
      .findOneBy({ internalReferenceId: body.InternalReferenceId as string });
    if (!payable) return undefined;
    const event = await t.dataSource
      .getRepository(OutboxEvent)
      .findOneBy({ payableId: payable.id, type: 'payable.paid' });
    return event ?? undefined;
  }, 'the payable.paid event');
}
