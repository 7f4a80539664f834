// @ts-check
// Checks on the state one database server holds against the emulator's: one open session and
// one open row per payable, row-for-row agreement, every payment recorded once, double payments,
// refund flags (real duplicates flagged, no false flag), leases released.
import { check } from './check.mjs';
import { COMPANIES } from './fixtures.mjs';
import { isPaidSession, payableViews, sessionPayable } from './state.mjs';

/** @typedef {import('./state.mjs').PayableView} PayableView */
/** @typedef {import('./state.mjs').Session} Session */

/**
 * @param {import('./state.mjs').NodeState} node
 * @param {Session[]} sessions every session at the emulator
 * @param {Set<string>} handedOut every SessionId the service answered with
 * @returns {import('./check.mjs').Check[]}
 */
export function auditState(node, sessions, handedOut) {
  const views = [...payableViews(node, sessions).values()];
  return [
    atMostOneOpenSession(views),
    atMostOneOpenRow(views),
    rowsAgreeWithEmulator(node, sessions),
    noUnknownSession(node, sessions),
    everyHandedOutSessionKnown(node, handedOut),
    everyPaymentRecorded(views),
    noDoublePayment(views),
    duplicatesFlagged(views),
    noFalseFlag(views),
    leasesReleased(node),
  ];
}

/** @param {PayableView[]} views */
function atMostOneOpenSession(views) {
  const over = views.filter((v) => v.sessions.filter((s) => s.status === 'open').length > 1);
  return check(
    'at most one open session per payable at the emulator',
    over.length === 0,
    `${over.length} of ${views.length} payables have more`,
    {
      evidence: over.slice(0, 5).map(evidence),
      figures: { 'payables with >1 open session': over.length },
    },
  );
}

/** @param {PayableView[]} views */
function atMostOneOpenRow(views) {
  const over = views.filter((v) => v.rows.filter((r) => r.state === 'open').length > 1);
  return check(
    'at most one open row per payable in checkouts',
    over.length === 0,
    `${over.length} of ${views.length} payables have more`,
    {
      evidence: over.slice(0, 5).map(evidence),
      figures: { 'payables with >1 open row': over.length },
    },
  );
}

/**
 * @param {import('./state.mjs').NodeState} node
 * @param {Session[]} sessions
 */
function rowsAgreeWithEmulator(node, sessions) {
  const byId = new Map(sessions.map((s) => [s.id, s]));
  const withSession = node.rows.filter(
    (r) => r.sessionId || r.state === 'open' || r.state === 'complete',
  );
  const disagree = withSession.flatMap((row) => {
    const s = row.sessionId ? byId.get(row.sessionId) : undefined;
    if (
      s &&
      s.status === row.state &&
      s.payment_status === row.paymentStatus &&
      s.account === row.account
    )
      return [];
    return [
      {
        checkout: row.id,
        payable: row.payable,
        row: `${row.state}/${row.paymentStatus}`,
        session: row.sessionId,
        emulator: s ? `${s.status}/${s.payment_status}` : 'missing',
      },
    ];
  });
  return check(
    'every checkout with a session has its state and payment status at the emulator',
    disagree.length === 0,
    `${disagree.length} of ${withSession.length} rows disagree`,
    {
      evidence: disagree.slice(0, 8),
      figures: { 'checkout rows disagreeing with Stripe': disagree.length },
    },
  );
}

/**
 * @param {import('./state.mjs').NodeState} node
 * @param {Session[]} sessions
 */
function noUnknownSession(node, sessions) {
  const known = new Set(node.rows.map((r) => r.sessionId).filter(Boolean));
  const companyOf = new Map(COMPANIES.map((c) => [c.account, c.id]));
  const unknown = sessions.filter(
    (s) => !known.has(s.id) || companyOf.get(s.account) !== s.metadata?.CompanyId,
  );
  return check(
    'no session at the emulator that the database does not know',
    unknown.length === 0,
    `${unknown.length} of ${sessions.length} sessions unknown (${unknown.filter((s) => s.status === 'open').length} open)`,
    {
      evidence: unknown.slice(0, 8).map((s) => ({
        id: s.id,
        status: s.status,
        payable: sessionPayable(s),
        account: s.account,
      })),
      figures: { 'sessions at Stripe the database does not know': unknown.length },
    },
  );
}

/**
 * @param {import('./state.mjs').NodeState} node
 * @param {Set<string>} handedOut
 */
function everyHandedOutSessionKnown(node, handedOut) {
  const known = new Set(node.rows.map((r) => r.sessionId));
  const missing = [...handedOut].filter((id) => !known.has(id));
  return check(
    'every SessionId answered with 200 is in checkouts',
    missing.length === 0,
    `${missing.length} of ${handedOut.size} missing`,
    { evidence: missing.slice(0, 8) },
  );
}

/** @param {PayableView[]} views */
function everyPaymentRecorded(views) {
  const paidAtStripe = views.filter((v) => v.sessions.some(isPaidSession));
  const problems = [];
  for (const v of views) {
    const paidSessions = new Set(v.sessions.filter(isPaidSession).map((s) => s.id));
    const payer = v.rows.find((r) => r.id === v.payable?.paidCheckoutId);
    const recorded = Boolean(v.payable?.paidCheckoutId);
    if (!paidSessions.size && !recorded) continue;
    if (paidSessions.size && !recorded)
      problems.push({ ...evidence(v), problem: 'paid at Stripe, not in payables' });
    else if (!payer || !paidSessions.has(payer.sessionId ?? ''))
      problems.push({ ...evidence(v), problem: 'payables.paid_checkout_id is not a paid session' });
  }
  return check(
    'every payable paid at the emulator is recorded paid, by one of its paid checkouts',
    problems.length === 0,
    `${problems.length} of ${paidAtStripe.length} paid payables wrong`,
    { evidence: problems.slice(0, 5), figures: { 'payables paid at Stripe': paidAtStripe.length } },
  );
}

/** @param {PayableView[]} views */
function noDoublePayment(views) {
  const twice = views.filter((v) => v.sessions.filter(isPaidSession).length > 1);
  return check(
    'no payable paid twice at the emulator (a second session was still payable)',
    twice.length === 0,
    `${twice.length} payables paid more than once`,
    {
      evidence: twice.slice(0, 5).map(evidence),
      figures: { 'double payments (payables paid twice at Stripe)': twice.length },
    },
  );
}

/**
 * On a payable paid more than once, each payment but the recorded payer's is money to give back:
 * flagged; the recorded payment itself is not (refunding both would leave the booking unpaid).
 * @param {PayableView[]} views
 */
function duplicatesFlagged(views) {
  const wrong = [];
  let duplicates = 0;
  for (const v of views) {
    const paid = new Set(v.sessions.filter(isPaidSession).map((s) => s.id));
    if (paid.size < 2) continue;
    for (const row of v.rows) {
      if (!paid.has(row.sessionId ?? '')) continue;
      const isPayer = row.id === v.payable?.paidCheckoutId;
      if (!isPayer) duplicates++;
      if (row.refundRequired === isPayer)
        wrong.push({
          payable: v.key,
          checkout: row.id,
          problem: isPayer ? 'the recorded payment is flagged' : 'duplicate not flagged',
        });
    }
  }
  const unflagged = wrong.filter((w) => w.problem === 'duplicate not flagged').length;
  return check(
    'every real duplicate payment is flagged refund_required, the recorded payment is not',
    wrong.length === 0,
    `${unflagged} of ${duplicates} duplicate payments not flagged, ${wrong.length - unflagged} recorded payments flagged`,
    {
      evidence: wrong.slice(0, 5),
      figures: {
        'real duplicate payments left unflagged': `${unflagged} of ${duplicates}`,
        'recorded (first) payments of double-paid payables flagged': wrong.length - unflagged,
      },
    },
  );
}

/**
 * A flag is false when no other checkout of the payable is paid at the emulator.
 * @param {PayableView[]} views
 */
function noFalseFlag(views) {
  const flagged = views.flatMap((v) =>
    v.rows.filter((r) => r.refundRequired).map((row) => ({ v, row })),
  );
  const fals = flagged.filter(
    ({ v, row }) => !v.sessions.some((s) => isPaidSession(s) && s.id !== row.sessionId),
  );
  return check(
    'no false refund_required flag (a flagged checkout always has another paid checkout of its payable)',
    fals.length === 0,
    `${fals.length} of ${flagged.length} flags false`,
    {
      evidence: fals.slice(0, 5).map(({ v, row }) => ({ checkout: row.id, ...evidence(v) })),
      figures: {
        'false refund_required flags': fals.length,
        'refund_required flags': flagged.length,
      },
    },
  );
}

/** @param {import('./state.mjs').NodeState} node */
function leasesReleased(node) {
  const held = node.payables.filter((p) => p.lockToken);
  const creating = node.rows.filter((r) => r.state === 'creating');
  return check(
    'every payable lease released, no checkout left creating',
    held.length === 0 && creating.length === 0,
    `${held.length} leases held, ${creating.length} checkouts creating`,
    {
      evidence: [...held, ...creating].slice(0, 8),
      figures: { 'leases left held': held.length, 'checkouts left creating': creating.length },
    },
  );
}

/** @param {PayableView} v */
function evidence(v) {
  return {
    payable: v.key,
    paidCheckoutId: v.payable?.paidCheckoutId ?? null,
    rows: v.rows
      .slice(-6)
      .map(
        (r) =>
          `${r.id} ${r.state}/${r.paymentStatus} ${r.sessionId ?? '-'}${r.refundRequired ? ' REFUND' : ''}`,
      ),
    sessions: v.sessions.slice(-6).map((s) => `${s.id} ${s.status}/${s.payment_status}`),
  };
}
