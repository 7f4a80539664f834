import type { CheckoutService } from './checkout-service.js';
import type { CreateSessionParams } from './create-params.js';
import { checkExpand, lineItemsList, sessionBody } from './expansion.js';
import { safeDecode } from './form.js';
import { newestFirstPage } from './pagination.js';
import type { Params, RequestValidator } from './request-validator.js';
import type { SessionRecord } from './session-store.js';
import { invalidRequest, resourceMissing, unrecognizedUrl } from './stripe-errors.js';
import { sessionFilter, type SessionListParams } from './session-filter.js';

export interface ApiRequest {
  method: string;
  path: string;
  account: string | null;
  requestId: string;
  idempotencyKey: string | null;
  /** decoded params; validation coerces them in place */
  params: Params;
}

export interface ApiResponse {
  status: number;
  body: unknown;
}

const SESSION_ROUTE = /^\/v1\/checkout\/sessions(?:\/([^/]+)(?:\/(line_items|expire))?)?$/;
const LIST_URL = '/v1/checkout/sessions';

/** The /v1/checkout/sessions endpoints, answering in Stripe's wire format. */
export class CheckoutApi {
  constructor(
    private readonly service: CheckoutService,
    private readonly validator: RequestValidator,
  ) {}

  handle(req: ApiRequest): ApiResponse {
    const match = SESSION_ROUTE.exec(req.path);
    if (!match) throw unrecognizedUrl(req.method, req.path);
    const [, rawId, action] = match;
    if (rawId === undefined) {
      if (req.method === 'POST') return this.create(req);
      if (req.method === 'GET') return this.list(req);
    } else {
      const id = safeDecode(rawId);
      if (action === undefined && req.method === 'GET') return this.retrieve(req, id);
      if (action === 'line_items' && req.method === 'GET') return this.lineItems(req, id);
      if (action === 'expire' && req.method === 'POST') return this.expire(req, id);
    }
    throw unrecognizedUrl(req.method, req.path);
  }

  private create(req: ApiRequest): ApiResponse {
    const params = this.validator.validate('createSession', req.params) as CreateSessionParams;
    const expand = checkExpand(params.expand);
    const record = this.service.create(params, req.account);
    return { status: 200, body: sessionBody(record, expand) };
  }

  private retrieve(req: ApiRequest, id: string): ApiResponse {
    const params = this.validator.validate('retrieveSession', req.params);
    const expand = checkExpand(params.expand);
    return { status: 200, body: sessionBody(this.find(id, req), expand) };
  }

  private expire(req: ApiRequest, id: string): ApiResponse {
    const params = this.validator.validate('expireSession', req.params);
    const expand = checkExpand(params.expand);
    const record = this.find(id, req);
    this.service.expire(record, { requestId: req.requestId, idempotencyKey: req.idempotencyKey });
    return { status: 200, body: sessionBody(record, expand) };
  }

  private list(req: ApiRequest): ApiResponse {
    const params = this.validator.validate('listSessions', req.params) as SessionListParams;
    const expand = checkExpand(params.expand, 'data.');
    const ordered = this.service.store.ordered(req.account);
    const page = newestFirstPage(ordered, {
      limit: checkLimit(params.limit),
      startingAfter: this.cursor(params.starting_after, req, 'starting_after'),
      endingBefore: this.cursor(params.ending_before, req, 'ending_before'),
      matches: sessionFilter(params),
    });
    const data = page.data.map((record) => sessionBody(record, expand));
    return { status: 200, body: { object: 'list', data, has_more: page.hasMore, url: LIST_URL } };
  }

  private lineItems(req: ApiRequest, id: string): ApiResponse {
    const params = this.validator.validate('listLineItems', req.params);
    const record = this.find(id, req);
    const limit = checkLimit(params.limit as number | undefined);
    const items = record.lineItems;
    const after = params.starting_after as string | undefined;
    let start = 0;
    if (after !== undefined) {
      start = items.findIndex((item) => item.id === after) + 1;
      if (start === 0) throw resourceMissing('line_item', after, 'starting_after');
    }
    const data = items.slice(start, start + limit);
    return { status: 200, body: lineItemsList(record, data, start + limit < items.length) };
  }

  private find(id: string, req: ApiRequest): SessionRecord {
    const record = this.service.store.find(id, req.account);
    if (!record) throw resourceMissing('checkout.session', id, 'session');
    return record;
  }

  private cursor(id: string | undefined, req: ApiRequest, param: string): number | undefined {
    if (id === undefined) return undefined;
    const record = this.service.store.find(id, req.account);
    if (!record) throw resourceMissing('checkout.session', id, param);
    return record.index;
  }
}

function checkLimit(limit: number | undefined): number {
  if (limit === undefined) return 10;
  if (limit < 1) throw invalidRequest('This value must be greater than or equal to 1.', 'limit');
  if (limit > 100) throw invalidRequest('This value must be less than or equal to 100.', 'limit');
  return limit;
}
