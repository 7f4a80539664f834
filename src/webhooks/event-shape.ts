/** What is wrong with a signed event, as a field (Stripe's snake_case path) and a message. */
export interface EventShapeProblem {
  field: string;
  message: string;
}

/** Longest id, type and account the `stripe_events` columns hold (Stripe's own are far shorter). */
const MAX_ID = 255;
const MAX_TYPE = 100;

/**
 * Whether a correctly signed body is an event this service can process. Stripe retries every 5xx
 * for three days, so whatever could fail later (a missing `data.object`, an id that is not a
 * string, a value too long for its column) is found here and answered 400 instead.
 */
export function eventShapeProblem(event: unknown): EventShapeProblem | undefined {
  if (!isObject(event)) return { field: '', message: 'The event is not a JSON object' };
  if (event.object !== 'event') return { field: 'object', message: 'object must be "event"' };
  const problem =
    textProblem(event.id, 'id', MAX_ID) ??
    textProblem(event.type, 'type', MAX_TYPE) ??
    (event.account === undefined || event.account === null
      ? undefined
      : textProblem(event.account, 'account', MAX_ID));
  if (problem) return problem;
  if (!isObject(event.data)) return { field: 'data', message: 'data must be an object' };
  const object = event.data.object;
  if (!isObject(object)) return { field: 'data.object', message: 'data.object must be an object' };
  // Some objects have no id (a balance), but a checkout session always has one.
  const needsId = String(event.type).startsWith('checkout.session.');
  if (object.id === undefined && !needsId) return undefined;
  return textProblem(object.id, 'data.object.id', MAX_ID);
}

function textProblem(value: unknown, field: string, max: number): EventShapeProblem | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > max) {
    return { field, message: `${field} must be a string of 1 to ${max} characters` };
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
