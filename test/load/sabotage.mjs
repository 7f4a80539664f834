// @ts-check
// --sabotage checks the checker: after the run, breaks each kind of invariant once, behind the
// service's back; the audits that follow must then fail and show each one.
import { openDatabase } from './database.mjs';
import { createForeignSession } from './emulator-client.mjs';
import { COMPANIES } from './fixtures.mjs';
import { isPaidSession, payableViews } from './state.mjs';

/**
 * @param {import('./database.mjs').Database[]} dbs the audited servers; the first takes the writes
 * @param {string} dbUrl a URL of the first, for a connection of its own
 * @param {string} emulatorUrl
 * @param {import('./audit.mjs').Snapshot} state what the audits would see (the first server's rows)
 * @param {Set<string>} handedOut the SessionIds the service answered with
 * @returns {Promise<{ done: string[], undo: () => Promise<void> }>} undo closes what it left open
 */
export async function sabotage(dbs, dbUrl, emulatorUrl, state, handedOut) {
  const node = state.nodes[0];
  const sessions = state.sessions;
  const db = dbs[0];
  const t = `\`${db.name}\``;
  const done = [];
  const views = [...payableViews(node, sessions).values()];

  const withOpen = views.find((v) => v.sessions.some((s) => s.status === 'open'));
  if (withOpen) {
    const [companyId, ref] = withOpen.key.split('/');
    const account = COMPANIES.find((c) => c.id === companyId)?.account ?? COMPANIES[0].account;
    const id = await createForeignSession(emulatorUrl, { account, companyId, ref });
    done.push(`planted a second open session ${id} for ${withOpen.key}`);
  }

  const reopen = views
    .map((v) => v.rows.filter((r) => r.state === 'expired' && r.sessionId).slice(0, 2))
    .find((rows) => rows.length === 2);
  if (reopen) {
    const ids = reopen.map((r) => r.id);
    await db.sql.query(`UPDATE ${t}.payments_checkouts SET state = 'open' WHERE id IN (?)`, [ids]);
    done.push(`reopened two expired checkouts of ${reopen[0].payable}`);
  }

  const forgotten = node.rows.find(
    (r) =>
      r.state === 'expired' &&
      handedOut.has(r.sessionId ?? '') &&
      !reopen?.some((o) => o.payable === r.payable),
  );
  if (forgotten) {
    await db.sql.query(`DELETE FROM ${t}.payments_checkouts WHERE id = ?`, [forgotten.id]);
    done.push(
      `deleted the checkout ${forgotten.id} of the handed-out session ${forgotten.sessionId}`,
    );
  }

  const singlyPaid = views.find((v) => v.sessions.filter(isPaidSession).length === 1);
  const payer = singlyPaid?.rows.find((r) => r.id === singlyPaid.payable?.paidCheckoutId);
  if (singlyPaid && payer) {
    await db.sql.query(`UPDATE ${t}.payments_checkouts SET refund_required = 1 WHERE id = ?`, [
      payer.id,
    ]);
    await db.sql.query(
      `UPDATE ${t}.payments_payables SET paid_checkout_id = NULL, paid_at = NULL WHERE paid_checkout_id = ?`,
      [payer.id],
    );
    done.push(`flagged the only payment ${payer.id} of ${singlyPaid.key} and unrecorded it`);
  }

  const duplicate = views
    .filter((v) => v.sessions.filter(isPaidSession).length > 1)
    .flatMap((v) =>
      v.rows.filter((r) => r.refundRequired && r.id !== v.payable?.paidCheckoutId),
    )[0];
  if (duplicate) {
    await db.sql.query(`UPDATE ${t}.payments_checkouts SET refund_required = 0 WHERE id = ?`, [
      duplicate.id,
    ]);
    done.push(`unflagged the real duplicate payment ${duplicate.id} of ${duplicate.payable}`);
  }

  await db.sql.query(
    `UPDATE ${t}.payments_payables SET lock_token = 'sabotage', locked_until = NOW(3) + INTERVAL 1 HOUR
      WHERE paid_checkout_id IS NULL LIMIT 1`,
  );
  done.push('left one lease held');

  const last = dbs.at(-1);
  const diverge = node.rows.find((r) => r.state === 'expired' && !r.refundRequired);
  if (last && last !== db && last.galera && diverge) {
    await last.sql.query('SET SESSION wsrep_on = OFF');
    await last.sql.query(`UPDATE ${t}.payments_checkouts SET refund_required = 1 WHERE id = ?`, [
      diverge.id,
    ]);
    await last.sql.query('SET SESSION wsrep_on = ON');
    done.push(`on ${last.label} only (not replicated): flagged ${diverge.id}`);
  }

  const stray = await openDatabase(dbUrl);
  await stray.sql.query(`USE ${t}`);
  await stray.sql.query('BEGIN');
  await stray.sql.query(`SELECT id FROM ${t}.payments_payables LIMIT 1 FOR UPDATE`);
  done.push(`held a transaction open on ${stray.label} from a connection of no instance`);
  return { done, undo: () => stray.sql.end().catch(() => {}) };
}
