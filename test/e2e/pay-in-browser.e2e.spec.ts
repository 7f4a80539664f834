import type { Browser } from 'playwright-core';
import { chromiumAvailable, launchChromium } from '../support/browser.js';
import { SALON, salonCheckout, startTestApp, type TestApp } from '../support/test-app.js';
import { TEST_DB } from '../support/test-database.js';
import { waitUntil } from '../support/wait-until.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

const describeInBrowser = chromiumAvailable ? describe : describe.skip;

describeInBrowser(`paying a hosted checkout in Chromium (${TEST_DB})`, () => {
  let t: TestApp;
  let browser: Browser;
  beforeAll(async () => {
    t = await startTestApp();
    browser = await launchChromium();
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const create = (body: Record<string, unknown>) =>
    t.http.post('/payment/stripe/v1/checkout').set('x-api-key', 'demo-api-key').send(body);

  /** A booking system's receiver behind a registered endpoint, verifying with standardwebhooks. */
  async function bookingSystem(): Promise<WebhookReceiver> {
    const secrets: string[] = [];
    const receiver = await startWebhookReceiver({
      secrets: () => secrets,
      answer: () => ({ status: 200 }),
    });
    const endpoint = await t.http
      .post('/webhook/endpoints')
      .set('x-api-key', 'demo-api-key')
      .send({ CompanyId: SALON, Url: `${receiver.url}/payments`, EventTypes: ['*'] })
      .expect(200);
    secrets.push(endpoint.body.Secret as string);
    return receiver;
  }

  it('create → open Url → Pay → confirmation page → GET shows complete → re-create is 409', async () => {
    const body = salonCheckout({ ConfirmationUrl: `${t.url}/health?paid=1` });
    const created = await t.http
      .post('/payment/stripe/v1/checkout')
      .set('x-api-key', 'demo-api-key')
      .send(body)
      .expect(200);

    const page = await browser.newPage();
    await page.goto(created.body.Url);
    await page.getByText('Haircut 45 min').waitFor();
    await page.getByRole('button', { name: 'Pay' }).click();
    await page.waitForURL(/\/health\?paid=1/);
    expect(await page.textContent('body')).toContain('"Status":"ok"');

    const current = await t.http
      .get('/payment/stripe/v1/checkout')
      .query({ CompanyId: SALON, InternalReferenceId: body.InternalReferenceId })
      .set('x-api-key', 'demo-api-key')
      .expect(200);
    expect(current.body).toMatchObject({ SessionId: created.body.SessionId, Status: 'complete' });
    const again = await t.http
      .post('/payment/stripe/v1/checkout')
      .set('x-api-key', 'demo-api-key')
      .send(body)
      .expect(409);
    expect(again.body.ResponseStatus.ErrorCode).toBe('AlreadyPaid');
  }, 30_000);

  it('the booking system hears it: re-created → invalidated; paid in the browser → paid with its amount; timed out → timeout', async () => {
    const receiver = await bookingSystem();
    try {
      const booking = salonCheckout({ ConfirmationUrl: `${t.url}/health?paid=1` });
      const first = (await create(booking).expect(200)).body;
      const second = (await create(booking).expect(200)).body;

      const page = await browser.newPage();
      await page.goto(second.Url);
      await page.getByRole('button', { name: 'Pay' }).click();
      await page.waitForURL(/\/health\?paid=1/);

      const abandoned = salonCheckout();
      const lapsed = (await create(abandoned).expect(200)).body;
      await t.emulator.expire(lapsed.SessionId);

      // Only this test's bookings (the endpoint may also hear of the one before, if it was new).
      const ours = [booking.InternalReferenceId, abandoned.InternalReferenceId];
      const heard = await waitUntil(() => {
        const byId = new Map(
          receiver.requests
            .filter((r) => r.verifiedWith.length > 0 && ours.includes(r.event!.InternalReferenceId))
            .map((r) => [r.event!.Id, r.event!]),
        );
        return byId.size === 3 ? [...byId.values()] : undefined;
      }, 'three events at the booking system');
      const paidAtStripe = t.emulator.sessions().find((s) => s.id === second.SessionId)!;
      expect(paidAtStripe.amount_total).toBeGreaterThan(0);
      expect(
        heard.map((e) => [e.Type, e.InternalReferenceId, e.Data.SessionId, e.Data.Reason]).sort(),
      ).toEqual(
        [
          ['checkout.expired', booking.InternalReferenceId, first.SessionId, 'invalidated'],
          ['payable.paid', booking.InternalReferenceId, second.SessionId, null],
          ['checkout.expired', abandoned.InternalReferenceId, lapsed.SessionId, 'timeout'],
        ].sort(),
      );
      expect(heard.find((e) => e.Type === 'payable.paid')!.Data).toMatchObject({
        AmountTotal: paidAtStripe.amount_total,
        Currency: 'SEK',
      });
    } finally {
      await receiver.close();
    }
  }, 60_000);
});
