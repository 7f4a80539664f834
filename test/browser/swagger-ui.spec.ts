import type { Browser, Page } from 'playwright-core';
import { chromiumAvailable, launchChromium } from '../support/browser.js';
import { startStandaloneService, type StandaloneService } from '../support/swagger-app.js';

// browser.ts fails the run when CI=true and Chromium is missing; elsewhere it warns and we skip.
const describeInBrowser = chromiumAvailable ? describe : describe.skip;

const OPERATION = '#operations-Stripe_Checkout-StripeV1CreateCheckout';

describeInBrowser('Swagger UI in Chromium', () => {
  let s: StandaloneService;
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    s = await startStandaloneService();
    browser = await launchChromium();
    page = await browser.newPage();
    page.setDefaultTimeout(10_000);
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  it('shows the checkout operation with the seed descriptions', async () => {
    await page.goto(`${s.url}/swagger-ui`);
    const operation = page.locator(OPERATION);
    await operation.waitFor();
    await expect(operation.locator('.opblock-summary').textContent()).resolves.toContain(
      'Create Stripe checkout (requires settings for Stripe Checkout 1.0)',
    );
    await operation.locator('.opblock-summary-control').click();
    await operation
      .getByText(
        'Create an checkout for Payable entity. Note if existing checkouts already exists, it will invalidate those.',
      )
      .waitFor();
    await operation.getByRole('tab', { name: 'Schema' }).first().click();
    await operation.getByText('Country code for checkout').first().waitFor();
    await operation.getByRole('tab', { name: 'Example Value' }).first().click();
  }, 30_000);

  it('Authorize with demo-api-key, Try it out with the example, Execute → 200', async () => {
    await page.locator('.auth-wrapper button.authorize').click();
    const dialog = page.locator('.dialog-ux .modal-ux');
    await dialog.getByLabel('Value:').fill('demo-api-key');
    await dialog.locator('button.authorize').click();
    await dialog.getByText('Logout', { exact: true }).waitFor();
    await dialog.locator('button.btn-done').click();

    const operation = page.locator(OPERATION);
    await operation.getByRole('button', { name: 'Try it out' }).click();
    const body = await operation.locator('textarea.body-param__text').inputValue();
    expect(JSON.parse(body)).toMatchObject({
      CompanyId: '3fa85f64-5717-4562-b3fc-2c963f66afa6',
      CountryCode: 'SE',
      Articles: [
        { ArticleId: 1, ArticleTypeId: 1 },
        { ArticleId: 2, ArticleTypeId: 1 },
      ],
    });
    await operation.getByRole('button', { name: 'Execute' }).click();

    const live = operation.locator('.live-responses-table tr.response');
    await live.waitFor();
    await expect(live.locator('.response-col_status').textContent()).resolves.toBe('200');
    const response = JSON.parse((await live.locator('.microlight').first().textContent()) ?? '');
    expect(response).toMatchObject({
      SessionId: expect.stringMatching(/^cs_/),
      Status: 'open',
      StripeAccount: 'acct_1DemoSalonSE0001',
    });
  }, 30_000);
});
