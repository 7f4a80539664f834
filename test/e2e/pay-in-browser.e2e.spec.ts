import type { Browser } from 'playwright-core';
import { chromiumAvailable, launchChromium } from '../support/browser.js';
import { SALON, salonCheckout, startTestApp, type TestApp } from '../support/test-app.js';
import { TEST_DB } from '../support/test-database.js';

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
});
