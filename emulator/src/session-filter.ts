import type { SessionRecord } from './session-store.js';

type Range = { gt?: number; gte?: number; lt?: number; lte?: number };

/** Query params of GET /v1/checkout/sessions after schema coercion. */
export interface SessionListParams {
  limit?: number;
  starting_after?: string;
  ending_before?: string;
  expand?: string[];
  status?: 'open' | 'complete' | 'expired';
  customer?: string;
  customer_details?: { email: string };
  payment_intent?: string;
  payment_link?: string;
  subscription?: string;
  created?: number | Range;
}

/** Builds one predicate for all filters given, so pagination walks the list once. */
export function sessionFilter(
  p: SessionListParams,
): ((record: SessionRecord) => boolean) | undefined {
  const checks: ((record: SessionRecord) => boolean)[] = [];
  if (p.status !== undefined) checks.push((r) => r.session.status === p.status);
  if (p.customer !== undefined) checks.push((r) => r.session.customer === p.customer);
  if (p.payment_intent !== undefined)
    checks.push((r) => r.session.payment_intent === p.payment_intent);
  if (p.payment_link !== undefined) checks.push((r) => r.session.payment_link === p.payment_link);
  if (p.subscription !== undefined) checks.push((r) => r.session.subscription === p.subscription);
  if (p.customer_details !== undefined) {
    const email = p.customer_details.email.toLowerCase();
    checks.push((r) => r.session.customer_details?.email?.toLowerCase() === email);
  }
  if (p.created !== undefined) {
    const created = p.created;
    checks.push((r) => inRange(r.session.created, created));
  }
  if (checks.length === 0) return undefined;
  return (record) => checks.every((check) => check(record));
}

function inRange(value: number, range: number | Range): boolean {
  if (typeof range === 'number') return value === range;
  return (
    (range.gt === undefined || value > range.gt) &&
    (range.gte === undefined || value >= range.gte) &&
    (range.lt === undefined || value < range.lt) &&
    (range.lte === undefined || value <= range.lte)
  );
}
