import type { DataSource } from 'typeorm';
import { Checkout, Payable } from '../../src/index.js';

/** The eight fields of StripeCheckoutQueryResponse, sorted. */
export const RESPONSE_KEYS = [
  'ClientSecret',
  'CustomerId',
  'PaymentIntentClientSecret',
  'PaymentIntentId',
  'SessionId',
  'Status',
  'StripeAccount',
  'Url',
];

/** A hosted checkout just created: open, nothing paid yet, on the company's account. */
export function newHostedCheckout(stripeAccount: string): Record<string, unknown> {
  return {
    SessionId: expect.stringMatching(/^cs_/),
    Url: expect.stringMatching(/^http/),
    Status: 'open',
    ClientSecret: null,
    CustomerId: null,
    PaymentIntentClientSecret: null,
    PaymentIntentId: null,
    StripeAccount: stripeAccount,
  };
}

/** Every checkout row of a payable, oldest first. */
export function checkoutRowsOf(
  dataSource: DataSource,
  internalReferenceId: string,
): Promise<Checkout[]> {
  return dataSource
    .getRepository(Checkout)
    .createQueryBuilder('c')
    .innerJoin(Payable, 'p', 'p.id = c.payable_id')
    .where('p.internal_reference_id = :ref', { ref: internalReferenceId })
    .orderBy('c.created_at', 'ASC')
    .getMany();
}
