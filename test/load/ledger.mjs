// @ts-check
// Everything the load saw, as it saw it: every answer of the service (compact), the sessions it
// handed out per payable (the payer pays those), and the payments the payer made. The audits
// read it afterwards; nothing here judges.

/** @typedef {'create' | 'get' | 'status'} Operation */

/**
 * @typedef {object} Answer
 * @property {Operation} op
 * @property {string} instance
 * @property {string} payable payableKey
 * @property {number} sentAt performance.now() before the request was sent
 * @property {number} ms
 * @property {number} status HTTP status, 0 = no answer (see error)
 * @property {string} [error] transport error
 * @property {string | null} code ResponseStatus.ErrorCode of an error answer
 * @property {string | null} sessionId SessionId of a 200
 * @property {string | null} sessionStatus Status of a 200
 * @property {boolean} hasUrl a 200 with a hosted Url
 * @property {string} [sample] the start of the body of an answer that was neither 2xx nor 409
 */

/**
 * @typedef {object} HandedOut
 * @property {string} sessionId
 * @property {string} url
 * @property {number} at performance.now() of the answer
 */

/**
 * @typedef {object} Payment
 * @property {string} sessionId
 * @property {number} confirmedAt performance.now() when the hosted page answered
 * @property {'first' | 'second tab' | 'stale tab'} how
 */

export class Ledger {
  constructor() {
    /** @type {Answer[]} */
    this.answers = [];
    /** @type {Map<string, HandedOut[]>} */
    this.handedOut = new Map();
    /** @type {Map<string, Payment[]>} payments the payer made, per payable */
    this.payments = new Map();
    this.payAttempts = { paid: 0, expired: 0, refused: 0, errors: 0 };
  }

  /**
   * @param {{ op: Operation, instance: string, payable: string, sentAt: number }} request
   * @param {import('./http-client.mjs').Reply} reply
   */
  record(request, reply) {
    const body = parse(reply.text);
    const ok = reply.status === 200;
    /** @type {Answer} */
    const answer = {
      ...request,
      ms: reply.ms,
      status: reply.status,
      code: body?.ResponseStatus?.ErrorCode ?? null,
      sessionId: ok ? (body?.SessionId ?? null) : null,
      sessionStatus: ok ? (body?.Status ?? null) : null,
      hasUrl: ok && typeof body?.Url === 'string',
    };
    if (reply.error) answer.error = reply.error;
    if (reply.status !== 200 && reply.status !== 409) answer.sample = reply.text.slice(0, 600);
    this.answers.push(answer);
    if (ok && answer.sessionId && typeof body?.Url === 'string')
      this.handOut(request.payable, {
        sessionId: answer.sessionId,
        url: body.Url,
        at: request.sentAt + reply.ms,
      });
  }

  /** @param {string} payable @param {HandedOut} session */
  handOut(payable, session) {
    const list = this.handedOut.get(payable) ?? [];
    if (list.some((s) => s.sessionId === session.sessionId)) return;
    list.push(session);
    this.handedOut.set(payable, list);
  }

  /** @param {string} payable @returns {HandedOut[]} oldest first */
  sessionsHandedOut(payable) {
    return this.handedOut.get(payable) ?? [];
  }

  /** @param {string} payable @param {Payment} payment */
  paid(payable, payment) {
    const list = this.payments.get(payable) ?? [];
    list.push(payment);
    this.payments.set(payable, list);
  }

  /** @param {string} payable */
  firstPaymentAt(payable) {
    return this.payments.get(payable)?.[0]?.confirmedAt;
  }
}

/** @param {string} text @returns {any} */
function parse(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
