// @ts-check
// The state the audits judge, read after the load: every session at the emulator, and from each
// database server its checkouts, payables, client connections and open transactions; joined per
// payable.
import { checkoutRows, clientConnections, openTransactions, payableRows } from './database.mjs';
import { listSessions } from './emulator-client.mjs';
import { COMPANIES, payableKey } from './fixtures.mjs';

/** @typedef {import('./emulator-client.mjs').Session} Session */
/** @typedef {import('./database.mjs').CheckoutRow} CheckoutRow */
/** @typedef {import('./database.mjs').PayableRow} PayableRow */

/**
 * @typedef {object} NodeState
 * @property {string} label
 * @property {CheckoutRow[]} rows
 * @property {PayableRow[]} payables
 * @property {import('./database.mjs').ClientConnection[]} connections
 * @property {Record<string, unknown>[]} transactions
 */

/**
 * @typedef {object} PayableView
 * @property {string} key
 * @property {CheckoutRow[]} rows
 * @property {Session[]} sessions
 * @property {PayableRow | undefined} payable
 */

/** @param {Session} session */
export const sessionPayable = (session) =>
  payableKey(
    session.metadata?.CompanyId ?? '?',
    session.client_reference_id ?? session.metadata?.InternalReferenceId ?? '?',
  );

/** @param {Session} session */
export const isPaidSession = (session) =>
  session.status === 'complete' &&
  (session.payment_status === 'paid' || session.payment_status === 'no_payment_required');

/** @param {string} emulatorUrl @returns {Promise<Session[]>} */
export async function emulatorSessions(emulatorUrl) {
  const all = await Promise.all(COMPANIES.map((c) => listSessions(emulatorUrl, c.account)));
  return all.flat();
}

/** @param {import('./database.mjs').Database} db @returns {Promise<NodeState>} */
export async function nodeState(db) {
  const connections = await clientConnections(db);
  const transactions = await openTransactions(
    db,
    connections.map((c) => c.id),
  );
  return {
    label: db.label,
    rows: await checkoutRows(db),
    payables: await payableRows(db),
    connections,
    transactions,
  };
}

/**
 * Every payable either side knows, with its rows, its sessions and its payables row.
 * @param {NodeState} node @param {Session[]} sessions @returns {Map<string, PayableView>}
 */
export function payableViews(node, sessions) {
  /** @type {Map<string, PayableView>} */
  const views = new Map();
  /** @param {string} key */
  const view = (key) => {
    let found = views.get(key);
    if (!found) views.set(key, (found = { key, rows: [], sessions: [], payable: undefined }));
    return found;
  };
  for (const row of node.rows) view(row.payable).rows.push(row);
  for (const session of sessions) view(sessionPayable(session)).sessions.push(session);
  for (const payable of node.payables) view(payable.key).payable = payable;
  return views;
}
