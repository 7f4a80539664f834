// @ts-check
// What the load works on: three companies (two from the demo data, one inserted with SQL) and a
// small hot set of payables per company. A slot stays on one payable until it has been paid and
// held a moment, then moves to a fresh payable (the next generation), so payments keep landing on
// payables that are being re-created.

export const STRIPE_KEY = 'sk_test_load';
export const CHECKOUT_PATH = '/payment/stripe/v1/checkout';

/**
 * @typedef {object} Company
 * @property {string} id
 * @property {string} account its connected Stripe account
 * @property {string} apiKey
 * @property {string} country
 * @property {{ ArticleId: number, ArticleTypeId: number, Quantity: number }[]} articles
 */

/** @type {Company[]} */
export const COMPANIES = [
  {
    id: '3fa85f64-5717-4562-b3fc-2c963f66afa6',
    account: 'acct_1DemoSalonSE0001',
    apiKey: 'demo-api-key',
    country: 'SE',
    articles: [
      { ArticleId: 1, ArticleTypeId: 1, Quantity: 2 },
      { ArticleId: 2, ArticleTypeId: 1, Quantity: 1 },
    ],
  },
  {
    id: '9b2c4a77-0d7e-4c1f-8e55-2f6a1f0e6b10',
    account: 'acct_1DemoClinicNO001',
    apiKey: 'demo-api-key-2',
    country: 'NO',
    articles: [{ ArticleId: 1, ArticleTypeId: 1, Quantity: 1 }],
  },
  {
    // not in the demo data: inserted by insertLoadCompany()
    id: '7d4f2b1e-3c5a-4f6b-8e9d-0a1b2c3d4e5f',
    account: 'acct_1LoadStudioDK001',
    apiKey: 'load-api-key-3',
    country: 'DK',
    articles: [{ ArticleId: 1, ArticleTypeId: 1, Quantity: 3 }],
  },
];

/** @param {string} companyId @param {string} ref */
export const payableKey = (companyId, ref) => `${companyId}/${ref}`;

/**
 * @typedef {object} Slot
 * @property {Company} company
 * @property {number} index
 * @property {number} generation
 * @property {string} ref the InternalReferenceId of its current payable
 * @property {string} key payableKey of its current payable
 * @property {'unpaid' | 'paid'} phase
 * @property {number} paidAt performance.now() when its payment was confirmed
 */

export class HotPayables {
  /** @param {number} slotsPerCompany */
  constructor(slotsPerCompany) {
    /** @type {Slot[]} */
    this.slots = COMPANIES.flatMap((company, c) =>
      Array.from({ length: slotsPerCompany }, (_, i) =>
        newSlot(company, c * slotsPerCompany + i, 1),
      ),
    );
    /** every payable any slot has been on */
    this.generations = this.slots.length;
  }

  random() {
    return this.slots[Math.floor(Math.random() * this.slots.length)];
  }

  /** @param {Slot} slot */
  rotate(slot) {
    Object.assign(slot, newSlot(slot.company, slot.index, slot.generation + 1));
    this.generations++;
  }
}

/** @param {Company} company @param {number} index @param {number} generation @returns {Slot} */
function newSlot(company, index, generation) {
  const ref = `hot-${String(index + 1).padStart(2, '0')}-g${String(generation).padStart(3, '0')}`;
  return {
    company,
    index,
    generation,
    ref,
    key: payableKey(company.id, ref),
    phase: 'unpaid',
    paidAt: 0,
  };
}

/** @param {Company} company @param {string} ref */
export function createBody(company, ref) {
  return JSON.stringify({
    CompanyId: company.id,
    CountryCode: company.country,
    Articles: company.articles,
    InternalReferenceId: ref,
    UiMode: 'hosted',
  });
}
