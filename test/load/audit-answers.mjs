// @ts-check
// Checks on what the clients saw during the load: server errors, unexpected answers, paid
// payables reading back as paid, no new session for a paid payable, and the open sessions the
// sampler counted at the emulator while it ran.
import { check } from './check.mjs';

/** @typedef {import('./ledger.mjs').Answer} Answer */

/**
 * Answers the contract allows under contention; anything else is unexpected.
 * @param {Answer} a
 */
export function isExpected(a) {
  if (a.op === 'create')
    return (
      (a.status === 200 && Boolean(a.sessionId) && a.hasUrl) ||
      (a.status === 409 && (a.code === 'CheckoutInProgress' || a.code === 'AlreadyPaid'))
    );
  if (a.op === 'get')
    return (
      (a.status === 200 && Boolean(a.sessionId)) ||
      (a.status === 404 && a.code === 'CheckoutNotFound')
    );
  return a.status === 200 && Boolean(a.sessionStatus);
}

/** @param {Answer} a */
const kindOf = (a) => `${a.instance} ${a.op} ${a.status || a.error}${a.code ? ` ${a.code}` : ''}`;

/** @param {Answer[]} answers @returns {Record<string, number>} */
export function countByKind(answers) {
  /** @type {Record<string, number>} */
  const counts = {};
  for (const a of answers) counts[kindOf(a)] = (counts[kindOf(a)] ?? 0) + 1;
  return counts;
}

/**
 * @param {import('./ledger.mjs').Ledger} ledger
 * @param {import('./open-session-sampler.mjs').OpenSessionSamples} samples
 * @returns {import('./check.mjs').Check[]}
 */
export function auditAnswers(ledger, samples) {
  return [
    noServerErrors(ledger.answers),
    onlyExpectedAnswers(ledger.answers),
    paidReadsBackAsPaid(ledger),
    noNewSessionForPaidPayable(ledger),
    oneOpenSessionAtEveryInstant(samples),
  ];
}

/** @param {Answer[]} answers */
function noServerErrors(answers) {
  const errors = answers.filter((a) => a.status >= 500);
  return check(
    'no 5xx answer',
    errors.length === 0,
    `${errors.length} × 5xx of ${answers.length} answers`,
    {
      evidence: { byKind: countByKind(errors), samples: errors.slice(0, 4).map(sample) },
      figures: { '5xx answers': errors.length },
    },
  );
}

/** @param {Answer[]} answers */
function onlyExpectedAnswers(answers) {
  const other = answers.filter((a) => !isExpected(a));
  return check(
    'every answer is one the contract allows (create: 200 with a Url or 409 CheckoutInProgress/AlreadyPaid; GET: 200 or 404; status: 200)',
    other.length === 0,
    `${other.length} other answers (transport errors and timeouts included)`,
    {
      evidence: { byKind: countByKind(other), samples: other.slice(0, 4).map(sample) },
      figures: { 'other unexpected answers (incl. 5xx, transport errors)': other.length },
    },
  );
}

/**
 * GETs sent after the payer saw a payable's payment go through must answer that paid session.
 * @param {import('./ledger.mjs').Ledger} ledger
 */
function paidReadsBackAsPaid(ledger) {
  const wrong = [];
  let reads = 0;
  for (const a of ledger.answers) {
    const paidAt = a.op === 'get' ? ledger.firstPaymentAt(a.payable) : undefined;
    if (paidAt === undefined || a.sentAt <= paidAt) continue;
    reads++;
    const paid = (ledger.payments.get(a.payable) ?? []).map((p) => p.sessionId);
    if (a.status === 200 && a.sessionStatus === 'complete' && paid.includes(a.sessionId ?? ''))
      continue;
    wrong.push({ ...sample(a), msAfterPayment: Math.round(a.sentAt - paidAt), paidSessions: paid });
  }
  return check(
    'a paid payable reads back as paid (GET after the payment: Status complete, the paying SessionId)',
    wrong.length === 0,
    `${wrong.length} of ${reads} GETs after a payment answered otherwise`,
    {
      evidence: {
        byAnswer: countBy(wrong, (w) => `${w.status} ${w.sessionStatus ?? w.code ?? ''}`),
        samples: wrong.slice(0, 4),
      },
      figures: { 'GETs after a payment not answering it as paid': `${wrong.length} of ${reads}` },
    },
  );
}

/** @param {import('./ledger.mjs').Ledger} ledger */
function noNewSessionForPaidPayable(ledger) {
  const handedOut = [];
  let creates = 0;
  for (const a of ledger.answers) {
    const paidAt = a.op === 'create' ? ledger.firstPaymentAt(a.payable) : undefined;
    if (paidAt === undefined || a.sentAt <= paidAt) continue;
    creates++;
    if (a.status === 200)
      handedOut.push({ ...sample(a), msAfterPayment: Math.round(a.sentAt - paidAt) });
  }
  return check(
    'no create after a payment hands out a new session (409 AlreadyPaid)',
    handedOut.length === 0,
    `${handedOut.length} of ${creates} creates after a payment answered 200`,
    {
      evidence: handedOut.slice(0, 4),
      figures: { 'creates after a payment answered 200': `${handedOut.length} of ${creates}` },
    },
  );
}

/** @param {import('./open-session-sampler.mjs').OpenSessionSamples} s */
function oneOpenSessionAtEveryInstant(s) {
  return check(
    'at most one open session per payable at the emulator in every listing during the load',
    s.samplesOverOne === 0 && s.samples > 0,
    `peak ${s.peak} open for one payable; ${s.samplesOverOne} of ${s.samples} listings had a payable with more (${s.payablesOverOne.size} payables)`,
    {
      evidence: s.examples,
      figures: {
        'peak open sessions per payable during the load': s.peak,
        'listings with a payable holding >1 open session': `${s.samplesOverOne} of ${s.samples}`,
      },
    },
  );
}

/** @param {Answer} a */
function sample(a) {
  return {
    instance: a.instance,
    op: a.op,
    payable: a.payable,
    status: a.status || a.error,
    code: a.code,
    sessionId: a.sessionId,
    sessionStatus: a.sessionStatus,
    ms: Math.round(a.ms),
    ...(a.sample ? { body: a.sample } : {}),
  };
}

/**
 * @template T
 * @param {T[]} list @param {(item: T) => string} key @returns {Record<string, number>}
 */
function countBy(list, key) {
  /** @type {Record<string, number>} */
  const counts = {};
  for (const item of list) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}
