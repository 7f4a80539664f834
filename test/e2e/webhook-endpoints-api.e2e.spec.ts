import { OutboxEvent, WebhookEndpointRecord } from '../../src/index.js';
import { CLINIC, SALON, salonCheckout, startTestApp, type TestApp } from '../support/test-app.js';
import { paidPayableEvent } from '../support/paid-event.js';
import { TEST_DB } from '../support/test-database.js';
import { waitUntil } from '../support/wait-until.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

const SALON_KEY = 'demo-api-key';
const CLINIC_KEY = 'demo-api-key-2';
const PLATFORM_KEY = 'demo-platform-key';

interface Endpoint {
  Id: string;
  Url: string;
  Description: string | null;
  Disabled: boolean;
  EventTypes: string[];
  Secret?: string;
}

/** BokaMera's webhook endpoint operations, with the module's auth, tenant rules and validation. */
describe(`the webhook endpoints API (${TEST_DB})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ module: { webhooks: { retryScheduleMs: [0], pollIntervalMs: 50 } } });
  });
  afterAll(() => t.close());

  const create = (body: Record<string, unknown>, key = SALON_KEY) =>
    t.http.post('/webhook/endpoints').set('x-api-key', key).send(body);
  const valid = (overrides: Record<string, unknown> = {}) => ({
    CompanyId: SALON,
    Url: 'https://booking.example.com/hooks',
    EventTypes: ['payable.paid'],
    ...overrides,
  });
  const created = async (overrides: Record<string, unknown> = {}) =>
    (await create(valid(overrides)).expect(200)).body as Endpoint;
  const fieldsOf = (body: { ResponseStatus: { Errors: { FieldName: string }[] } }) =>
    body.ResponseStatus.Errors.map((e) => e.FieldName);

  it('creates an endpoint and shows its secret once', async () => {
    const res = await create(
      valid({ Description: 'Bookings', EventTypes: ['payable.paid', 'checkout.expired'] }),
    ).expect(200);
    expect(res.body).toEqual({
      Id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      Url: 'https://booking.example.com/hooks',
      Description: 'Bookings',
      Disabled: false,
      EventTypes: ['payable.paid', 'checkout.expired'],
      Secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
    });
    const plain = await t.http
      .get(`/webhook/endpoints/${res.body.Id}`)
      .query({ CompanyId: SALON })
      .set('x-api-key', SALON_KEY)
      .expect(200);
    expect(plain.body).not.toHaveProperty('Secret');
    expect(plain.body).toMatchObject({ Id: res.body.Id, Description: 'Bookings' });
    const withSecret = await t.http
      .get(`/webhook/endpoints/${res.body.Id}`)
      .query({ CompanyId: SALON, IncludeSecret: 'true' })
      .set('x-api-key', SALON_KEY)
      .expect(200);
    expect(withSecret.body.Secret).toBe(res.body.Secret);
  });

  it('takes CompanyId from the query string too', async () => {
    const res = await t.http
      .post('/webhook/endpoints')
      .query({ CompanyId: SALON })
      .set('x-api-key', SALON_KEY)
      .send({ Url: 'https://booking.example.com/q', EventTypes: ['*'] })
      .expect(200);
    expect(res.body.EventTypes).toEqual(['*']);
  });

  it.each([
    ['no Url', { Url: undefined }, 'Url'],
    ['a private Url', { Url: 'https://10.0.0.7/hook' }, 'Url'],
    ['a metadata Url', { Url: 'https://169.254.169.254/latest' }, 'Url'],
    ['a plain-http public Url', { Url: 'http://booking.example.com/hook' }, 'Url'],
    ['no EventTypes', { EventTypes: undefined }, 'EventTypes'],
    ['empty EventTypes', { EventTypes: [] }, 'EventTypes'],
    ['an unknown event type', { EventTypes: ['payable.refunded'] }, 'EventTypes'],
    ['Disabled not a boolean', { Disabled: 'maybe' }, 'Disabled'],
    ['a field it does not know', { Secret: 'whsec_mine' }, 'Secret'],
    ['no CompanyId', { CompanyId: undefined }, 'CompanyId'],
  ])('refuses %s with a 400 naming the field', async (_name, overrides, field) => {
    const res = await create(valid(overrides)).expect(400);
    expect(res.body.ResponseStatus.ErrorCode).toEqual(expect.any(String));
    expect(fieldsOf(res.body)).toContain(field);
  });

  it("keeps companies apart: another company's key is refused, another company's endpoint is not found", async () => {
    await create(valid(), CLINIC_KEY).expect(403);
    const salon = await created();
    await t.http
      .get('/webhook/endpoints')
      .query({ CompanyId: SALON })
      .set('x-api-key', CLINIC_KEY)
      .expect(403);
    const res = await t.http
      .get(`/webhook/endpoints/${salon.Id}`)
      .query({ CompanyId: CLINIC, IncludeSecret: true })
      .set('x-api-key', CLINIC_KEY)
      .expect(404);
    expect(res.body.ResponseStatus.ErrorCode).toBe('WebhookEndpointNotFound');
    await t.http
      .delete(`/webhook/endpoints/${salon.Id}`)
      .query({ CompanyId: CLINIC })
      .set('x-api-key', CLINIC_KEY)
      .expect(404);
    await t.http
      .get(`/webhook/endpoints/${salon.Id}`)
      .query({ CompanyId: SALON })
      .set('x-api-key', SALON_KEY)
      .expect(200);
  });

  it('an unknown or malformed Id is a 404 or a 400, an unknown company a 404', async () => {
    const unknown = await t.http
      .get('/webhook/endpoints/01890000-0000-7000-8000-000000000000')
      .query({ CompanyId: SALON })
      .set('x-api-key', SALON_KEY)
      .expect(404);
    expect(unknown.body.ResponseStatus.ErrorCode).toBe('WebhookEndpointNotFound');
    const malformed = await t.http
      .get('/webhook/endpoints/not-an-id')
      .query({ CompanyId: SALON })
      .set('x-api-key', SALON_KEY)
      .expect(400);
    expect(fieldsOf(malformed.body)).toEqual(['Id']);
    const company = await create(
      valid({ CompanyId: '01890000-0000-7000-8000-000000000001' }),
      PLATFORM_KEY,
    ).expect(404);
    expect(company.body.ResponseStatus.ErrorCode).toBe('CompanyNotFound');
  });

  it('lists the endpoints without secrets', async () => {
    const endpoint = await created({ Url: 'https://booking.example.com/listed' });
    const res = await t.http
      .get('/webhook/endpoints')
      .query({ CompanyId: SALON })
      .set('x-api-key', SALON_KEY)
      .expect(200);
    const listed = (res.body.Results as Endpoint[]).find((e) => e.Id === endpoint.Id);
    expect(listed).toEqual({ ...endpoint, Secret: undefined });
    expect((res.body.Results as Endpoint[]).every((e) => !('Secret' in e))).toBe(true);
  });

  it('updates an endpoint; enabling it again clears its failures', async () => {
    const endpoint = await created();
    await t.dataSource
      .getRepository(WebhookEndpointRecord)
      .update(
        { id: endpoint.Id },
        { disabled: true, disabledReason: 'failing', failingSince: new Date() },
      );
    const res = await t.http
      .put(`/webhook/endpoints/${endpoint.Id}`)
      .set('x-api-key', SALON_KEY)
      .send({
        CompanyId: SALON,
        Url: 'https://booking.example.com/v2',
        EventTypes: ['*'],
        Disabled: false,
        Description: 'v2',
      })
      .expect(200);
    expect(res.body).toEqual({
      Id: endpoint.Id,
      Url: 'https://booking.example.com/v2',
      Description: 'v2',
      Disabled: false,
      EventTypes: ['*'],
    });
    const row = await t.dataSource
      .getRepository(WebhookEndpointRecord)
      .findOneByOrFail({ id: endpoint.Id });
    expect(row).toMatchObject({ disabled: false, disabledReason: null, failingSince: null });
    const bad = await t.http
      .put(`/webhook/endpoints/${endpoint.Id}`)
      .set('x-api-key', SALON_KEY)
      .send({ CompanyId: SALON, EventTypes: ['nope'] })
      .expect(400);
    expect(fieldsOf(bad.body)).toContain('EventTypes');
  });

  it('deletes an endpoint', async () => {
    const endpoint = await created();
    await t.http
      .delete(`/webhook/endpoints/${endpoint.Id}`)
      .query({ CompanyId: SALON })
      .set('x-api-key', SALON_KEY)
      .expect(204);
    await t.http
      .get(`/webhook/endpoints/${endpoint.Id}`)
      .query({ CompanyId: SALON })
      .set('x-api-key', SALON_KEY)
      .expect(404);
  });

  describe('at most 100 endpoints per company', () => {
    const endpoints = () => t.dataSource.getRepository(WebhookEndpointRecord);
    const clinicCreate = (i: number | string) =>
      create(
        valid({ CompanyId: CLINIC, Disabled: true, Url: `https://booking.example.com/cap/${i}` }),
        CLINIC_KEY,
      );
    const listClinic = async () =>
      (
        await t.http
          .get('/webhook/endpoints')
          .query({ CompanyId: CLINIC })
          .set('x-api-key', CLINIC_KEY)
          .expect(200)
      ).body.Results as Endpoint[];
    /** Rows written past the API, as many as asked, disabled so that no event goes to them. */
    const seedClinic = async (count: number) => {
      const now = new Date();
      await endpoints().insert(
        Array.from({ length: count }, (_, i) => ({
          id: `01890000-0000-7000-8000-${String(i).padStart(12, '0')}`,
          companyId: CLINIC,
          url: `https://booking.example.com/seeded/${i}`,
          description: null,
          disabled: true,
          disabledReason: null,
          eventTypes: '["*"]',
          secret: `whsec_${'A'.repeat(43)}=`,
          previousSecret: null,
          previousSecretExpiresAt: null,
          failingSince: null,
          createdAt: new Date(now.getTime() + i),
          updatedAt: now,
        })),
      );
    };
    afterEach(() => endpoints().delete({ companyId: CLINIC }));

    it('refuses the 101st, also when creates race for the last places, and makes room again on delete', async () => {
      await seedClinic(95);
      const racing = await Promise.all(Array.from({ length: 10 }, (_, i) => clinicCreate(i)));
      expect(racing.map((r) => r.status).sort()).toEqual([
        ...Array(5).fill(200),
        ...Array(5).fill(400),
      ]);
      for (const refused of racing.filter((r) => r.status === 400))
        expect(refused.body.ResponseStatus.ErrorCode).toBe('WebhookEndpointLimitReached');
      expect(await endpoints().countBy({ companyId: CLINIC })).toBe(100);
      // another company's endpoints do not count against the clinic's cap
      await created({
        Disabled: true,
        Url: 'https://booking.example.com/salon-beside-full-clinic',
      });
      const [first] = await listClinic();
      await t.http
        .delete(`/webhook/endpoints/${first!.Id}`)
        .query({ CompanyId: CLINIC })
        .set('x-api-key', CLINIC_KEY)
        .expect(204);
      await clinicCreate('again').expect(200);
      await clinicCreate('over').expect(400);
    });

    it('lists every endpoint of the company, however many there are', async () => {
      await seedClinic(120);
      const listed = await listClinic();
      expect(listed).toHaveLength(120);
      expect(new Set(listed.map((e) => e.Id)).size).toBe(120);
    });
  });

  it('rotates the secret', async () => {
    const endpoint = await created();
    const res = await t.http
      .post(`/webhook/endpoints/${endpoint.Id}/secret/rotate`)
      .set('x-api-key', SALON_KEY)
      .send({ CompanyId: SALON })
      .expect(200);
    expect(res.body.Secret).toMatch(/^whsec_/);
    expect(res.body.Secret).not.toBe(endpoint.Secret);
    const row = await t.dataSource
      .getRepository(WebhookEndpointRecord)
      .findOneByOrFail({ id: endpoint.Id });
    expect(row.previousSecret).toBe(endpoint.Secret);
    expect(row.previousSecretExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 23 * 3_600_000);
  });

  it("serves the operations on ServiceStack's predefined routes too", async () => {
    const res = await t.http
      .post('/api/CreateWebhookEndpoint')
      .set('x-api-key', SALON_KEY)
      .send(valid())
      .expect(200);
    const got = await t.http
      .get('/api/GetWebhookEndpoint')
      .query({ CompanyId: SALON, Id: res.body.Id, IncludeSecret: true })
      .set('x-api-key', SALON_KEY)
      .expect(200);
    expect(got.body.Secret).toBe(res.body.Secret);
    const missing = await t.http
      .get('/api/GetWebhookEndpoint')
      .query({ CompanyId: SALON })
      .set('x-api-key', SALON_KEY)
      .expect(400);
    expect(fieldsOf(missing.body)).toContain('Id');
  });

  describe('attempts, resend, recover and polling', () => {
    let receiver: WebhookReceiver;
    let failing = true;
    const holdOnce = new Set<string>();
    const secrets: string[] = [];
    beforeAll(async () => {
      // Only this group's endpoint receives the salon's events from here on.
      await t.dataSource.getRepository(WebhookEndpointRecord).clear();
      receiver = await startWebhookReceiver({
        secrets: () => secrets,
        answer: ({ eventId }) => {
          if (holdOnce.delete(eventId) || holdOnce.delete('*')) return 'hold';
          return failing ? { status: 500, body: 'x'.repeat(3000) } : { status: 200, body: 'ok' };
        },
      });
    });
    afterAll(() => receiver.close());

    const paidEvent = () => paidPayableEvent(t, SALON_KEY);
    const stateOf = async (eventId: string, endpointId: string) => {
      const [row] = await t.dataSource.query(
        'SELECT state FROM payments_event_deliveries WHERE event_id = ? AND subscriber = ?',
        [eventId, endpointId],
      );
      return row?.state as string | undefined;
    };

    it('logs attempts newest first with the first 1 KB; recovers what failed; resends one event', async () => {
      const since = new Date(Date.now() - 1000).toISOString();
      const endpoint = await created({ Url: receiver.url, EventTypes: ['payable.paid'] });
      secrets.push(endpoint.Secret!);
      const [a, b] = [await paidEvent(), await paidEvent()];
      await waitUntil(
        async () =>
          (await stateOf(a.eventId, endpoint.Id)) === 'failed' &&
          (await stateOf(b.eventId, endpoint.Id)) === 'failed',
        'both given up',
      );
      const attempts = await t.http
        .get(`/webhook/endpoints/${endpoint.Id}/attempts`)
        .query({ CompanyId: SALON })
        .set('x-api-key', SALON_KEY)
        .expect(200);
      expect(attempts.body.Results.map((r: { EventId: string }) => r.EventId)).toEqual([
        b.eventId,
        a.eventId,
      ]);
      expect(attempts.body.Results[0]).toEqual({
        AttemptedAt: expect.stringMatching(/Z$/),
        EventId: b.eventId,
        EventType: 'payable.paid',
        StatusCode: 500,
        LatencyMs: expect.any(Number),
        ResponseBody: 'x'.repeat(1024),
        Error: null,
      });
      const one = await t.http
        .get(`/webhook/endpoints/${endpoint.Id}/attempts`)
        .query({ CompanyId: SALON, Take: 1 })
        .set('x-api-key', SALON_KEY)
        .expect(200);
      expect(one.body.Results).toHaveLength(1);

      failing = false;
      const recovered = await t.http
        .post(`/webhook/endpoints/${endpoint.Id}/recover`)
        .set('x-api-key', SALON_KEY)
        .send({ CompanyId: SALON, Since: since })
        .expect(200);
      expect(recovered.body).toEqual({ Queued: 2 });
      await waitUntil(
        () => receiver.effects.get(a.eventId) === 1 && receiver.effects.get(b.eventId) === 1,
        'both recovered',
      );

      const resent = await t.http
        .post(`/webhook/endpoints/${endpoint.Id}/resend`)
        .set('x-api-key', SALON_KEY)
        .send({ CompanyId: SALON, EventId: a.eventId })
        .expect(200);
      expect(resent.body).toEqual({ Queued: 1 });
      await waitUntil(() => receiver.effects.get(a.eventId) === 2, 'the resent event');
      const unknown = await t.http
        .post(`/webhook/endpoints/${endpoint.Id}/resend`)
        .set('x-api-key', SALON_KEY)
        .send({ CompanyId: SALON, EventId: '01890000-0000-7000-8000-000000000002' })
        .expect(404);
      expect(unknown.body.ResponseStatus.ErrorCode).toBe('EventNotFound');
      const badSince = await t.http
        .post(`/webhook/endpoints/${endpoint.Id}/recover`)
        .set('x-api-key', SALON_KEY)
        .send({ CompanyId: SALON, Since: 'yesterday' })
        .expect(400);
      expect(fieldsOf(badSince.body)).toEqual(['Since']);
    });

    it('a resend while an attempt is in flight follows it, never alongside it', async () => {
      failing = false;
      const endpointId = (
        await t.http
          .get('/webhook/endpoints')
          .query({ CompanyId: SALON })
          .set('x-api-key', SALON_KEY)
          .expect(200)
      ).body.Results[0].Id as string;
      const held = receiver.held.length;
      // The next event's first attempt is held at the receiver.
      holdOnce.add('*');
      const body = salonCheckout();
      const res = await t.http
        .post('/payment/stripe/v1/checkout')
        .set('x-api-key', SALON_KEY)
        .send(body)
        .expect(200);
      await t.emulator.pay(res.body.SessionId as string);
      await waitUntil(() => receiver.held.length > held, 'the attempt held');
      const eventId = receiver.requests.at(-1)!.webhookId;
      await t.http
        .post(`/webhook/endpoints/${endpointId}/resend`)
        .set('x-api-key', SALON_KEY)
        .send({ CompanyId: SALON, EventId: eventId })
        .expect(200);
      receiver.held.at(-1)!.release(200);
      await waitUntil(
        () => receiver.effects.get(eventId) === 2,
        'the resend after the attempt in flight',
      );
      expect(receiver.maxInFlightPerEvent()).toBe(1);
    });

    it("pages through the company's events in order with a cursor", async () => {
      await paidEvent();
      const all = await t.dataSource
        .getRepository(OutboxEvent)
        .find({ where: { companyId: SALON }, order: { position: 'ASC' } });
      const seen: string[] = [];
      let after: string | undefined;
      for (let page = 0; page < 100; page++) {
        const res = await t.http
          .get('/payment/events')
          .query({ CompanyId: SALON, Take: 2, ...(after ? { After: after } : {}) })
          .set('x-api-key', SALON_KEY)
          .expect(200);
        for (const event of res.body.Events) {
          expect(event).toMatchObject({
            CompanyId: SALON,
            Type: expect.any(String),
            Sequence: expect.any(Number),
          });
          seen.push(event.Id as string);
        }
        if (res.body.Events.length === 0) {
          expect(res.body.Next).toBe(after);
          break;
        }
        expect(res.body.Events.length).toBeLessThanOrEqual(2);
        after = res.body.Next as string;
      }
      expect(seen).toEqual(all.map((e) => e.eventId));
      await t.http
        .get('/payment/events')
        .query({ CompanyId: SALON })
        .set('x-api-key', CLINIC_KEY)
        .expect(403);
      const bad = await t.http
        .get('/payment/events')
        .query({ CompanyId: SALON, After: 'x' })
        .set('x-api-key', SALON_KEY)
        .expect(400);
      expect(fieldsOf(bad.body)).toEqual(['After']);
      const clinic = await t.http
        .get('/payment/events')
        .query({ CompanyId: CLINIC })
        .set('x-api-key', CLINIC_KEY)
        .expect(200);
      expect(clinic.body.Events.every((e: { CompanyId: string }) => e.CompanyId === CLINIC)).toBe(
        true,
      );
    });
  });
});
