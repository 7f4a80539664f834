// @ts-check
// Historical checkouts for `--rows N`, in the service's own row shapes: payables of one to five
// checkouts each, every earlier one expired (invalidated by the next), the last one complete
// (about 70 %), expired (about 29 %) or still open (a few), dated over the past 180 days.
import { randomBytes } from 'node:crypto';

export const ACCOUNT = 'acct_1DemoSalonSE0001';
const DAY_MS = 86_400_000;
const LINE_ITEMS = JSON.stringify([
  {
    articleId: 1,
    articleTypeId: 1,
    name: 'Haircut 45 min',
    quantity: 2,
    unitAmount: 45000,
    vatBasisPoints: 2500,
    currency: 'sek',
  },
  {
    articleId: 2,
    articleTypeId: 1,
    name: 'Beard trim',
    quantity: 1,
    unitAmount: 20000,
    vatBasisPoints: 2500,
    currency: 'sek',
  },
]);

/** A UUIDv7 of `ms`, as src/common/time-ordered-id.ts makes them. */
export function idAt(/** @type {number} */ ms) {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(ms, 0, 6);
  bytes[6] = (bytes[6] & 0x0f) | 0x70;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Dates as the service stores them: UTC `YYYY-MM-DD HH:MM:SS.mmm`. */
const sqlDate = (/** @type {number} */ ms) =>
  new Date(ms).toISOString().replace('T', ' ').replace('Z', '');

/**
 * @typedef {object} PayableHistory
 * @property {unknown[]} payable the row of PAYABLE_COLUMNS
 * @property {unknown[][]} checkouts rows of CHECKOUT_COLUMNS
 */

export const PAYABLE_COLUMNS = [
  'id',
  'company_id',
  'internal_reference_id',
  'paid_checkout_id',
  'paid_at',
  'created_at',
  'updated_at',
];
export const CHECKOUT_COLUMNS = [
  'id',
  'payable_id',
  'company_id',
  'state',
  'payment_status',
  'ui_mode',
  'stripe_session_id',
  'stripe_account_id',
  'customer_id',
  'customer_email',
  'payment_intent_id',
  'url',
  'amount_total',
  'currency',
  'line_items',
  'stripe_request',
  'idempotency_key',
  'invalidated_by',
  'expire_reason',
  'refund_required',
  'expires_at',
  'created_at',
  'updated_at',
];

/**
 * One payable and its checkouts, the first created at `startMs`.
 * @param {string} companyId
 * @param {number} index unique per payable of the run
 * @param {number} startMs
 * @returns {PayableHistory}
 */
export function payableHistory(companyId, index, startMs) {
  const payableId = idAt(startMs);
  const count = 1 + Math.floor(Math.random() ** 2 * 5);
  const last = Math.random();
  const lastState = last < 0.7 ? 'complete' : last < 0.99 ? 'expired' : 'open';
  /** @type {unknown[][]} */
  const checkouts = [];
  let at = startMs;
  let previousId = '';
  for (let i = count - 1; i >= 0; i--) {
    const id = idAt(at);
    // each row is invalidated by the next one: filled in when the next is made
    if (checkouts.length) checkouts[checkouts.length - 1][17] = id;
    const state = i === 0 ? lastState : 'expired';
    checkouts.push(checkoutRow({ id, payableId, companyId, at, state, replaced: i > 0 }));
    previousId = id;
    at += 60_000 + Math.floor(Math.random() * 600_000);
  }
  const paid = lastState === 'complete';
  const payable = [
    payableId,
    companyId,
    `hist-${index}`,
    paid ? previousId : null,
    paid ? sqlDate(at) : null,
    sqlDate(startMs),
    sqlDate(at),
  ];
  return { payable, checkouts };
}

/**
 * @param {{ id: string, payableId: string, companyId: string, at: number, state: string, replaced: boolean }} c
 */
function checkoutRow({ id, payableId, companyId, at, state, replaced }) {
  const session = `cs_test_hist${id.replace(/-/g, '')}`;
  const complete = state === 'complete';
  const open = state === 'open';
  return [
    id,
    payableId,
    companyId,
    state,
    complete ? 'paid' : 'unpaid',
    'hosted',
    session,
    ACCOUNT,
    complete ? `cus_hist${id.slice(0, 8)}` : null,
    complete ? 'customer@example.com' : null,
    complete ? `pi_hist${id.replace(/-/g, '')}` : null,
    open ? `https://checkout.fake.test/c/pay/${session}` : null,
    110000,
    'sek',
    LINE_ITEMS,
    null,
    `checkout-${id}`,
    null,
    state !== 'expired' ? null : replaced ? 'invalidated' : 'timeout',
    0,
    sqlDate(open ? Date.now() + DAY_MS : at + 3_600_000),
    sqlDate(at),
    sqlDate(at + 1_000),
  ];
}

/**
 * Payable histories totalling about `rows` checkouts, oldest first, spread over 180 days.
 * @param {string} companyId
 * @param {number} rows
 * @returns {Generator<PayableHistory>}
 */
export function* histories(companyId, rows) {
  const span = 180 * DAY_MS;
  const start = Date.now() - span - DAY_MS;
  const payables = Math.max(1, Math.round(rows / 2.0));
  let made = 0;
  for (let index = 0; made < rows; index++) {
    const history = payableHistory(companyId, index, start + Math.floor((index / payables) * span));
    made += history.checkouts.length;
    yield history;
  }
}
