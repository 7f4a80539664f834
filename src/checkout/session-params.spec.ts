import { buildSessionParams, type SessionParamsInput } from './session-params.js';

const input = (overrides: Partial<SessionParamsInput> = {}): SessionParamsInput => ({
  checkoutId: 'chk_1',
  companyId: 'company-1',
  internalReferenceId: 'booking-1',
  uiMode: 'hosted',
  currency: 'sek',
  lineItems: [
    {
      articleId: 1,
      articleTypeId: 1,
      name: 'Haircut',
      quantity: 2,
      unitAmount: 45000,
      vatBasisPoints: 2500,
    },
  ],
  expiresAt: new Date('2026-12-01T10:00:00.999Z'),
  ...overrides,
});

describe('buildSessionParams', () => {
  it('a hosted session: our ids in metadata, line items in minor units, Stripe ui_mode', () => {
    expect(
      buildSessionParams(
        input({ confirmationUrl: 'https://example.com/ok', cancelUrl: 'https://example.com/no' }),
      ),
    ).toEqual({
      mode: 'payment',
      ui_mode: 'hosted_page',
      client_reference_id: 'booking-1',
      expires_at: Math.floor(Date.parse('2026-12-01T10:00:00Z') / 1000),
      metadata: { CompanyId: 'company-1', InternalReferenceId: 'booking-1', CheckoutId: 'chk_1' },
      payment_intent_data: {
        metadata: { CompanyId: 'company-1', InternalReferenceId: 'booking-1', CheckoutId: 'chk_1' },
      },
      line_items: [
        {
          quantity: 2,
          price_data: { currency: 'sek', unit_amount: 45000, product_data: { name: 'Haircut' } },
        },
      ],
      success_url: 'https://example.com/ok',
      cancel_url: 'https://example.com/no',
    });
  });

  it('a hosted session without URLs sends none (Stripe shows its own page)', () => {
    const params = buildSessionParams(input());
    expect(params).not.toHaveProperty('success_url');
    expect(params).not.toHaveProperty('cancel_url');
  });

  it('an embedded session returns to the confirmation URL', () => {
    const params = buildSessionParams(
      input({ uiMode: 'embedded', confirmationUrl: 'https://example.com/ok' }),
    );
    expect(params).toMatchObject({
      ui_mode: 'embedded_page',
      return_url: 'https://example.com/ok',
    });
    expect(params).not.toHaveProperty('redirect_on_completion');
    expect(params).not.toHaveProperty('success_url');
  });

  it('an embedded session without a confirmation URL never redirects', () => {
    const params = buildSessionParams(input({ uiMode: 'embedded' }));
    expect(params).toMatchObject({ redirect_on_completion: 'never' });
    expect(params).not.toHaveProperty('return_url');
  });
});
