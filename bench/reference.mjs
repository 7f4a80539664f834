// @ts-check
/* global Buffer */
// A minimal hand-written reference of POST /payment/stripe/v1/checkout for the benchmark: plain
// node:http + prepared statements (better-sqlite3 or mysql2) + fetch to the same fake Stripe as
// the service. No Nest, no TypeORM, no Stripe SDK. The flow: bench/reference/create.mjs.
//
// Usage: node bench/reference.mjs   (env REFERENCE_DB=sqlite:<file>|mysql://…, STRIPE_API_URL,
// PORT; forked by bench/lib/processes.mjs)
import { createServer } from 'node:http';
import { createCheckout, Problem } from './reference/create.mjs';
import { withCachedSettings } from './reference/cached.mjs';
import { openStore } from './reference/store.mjs';

const store = withCachedSettings(await openStore(process.env.REFERENCE_DB ?? 'sqlite::memory:'));
const MAX_BODY = 100_000;

/** @param {import('node:http').ServerResponse} res @param {number} status @param {unknown} body */
function send(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** @param {import('node:http').IncomingMessage} req @returns {Promise<unknown>} */
function readJson(req) {
  return new Promise((resolve, reject) => {
    /** @type {Buffer[]} */
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_BODY) return reject(new Problem(413, 'ValidationException', 'too large'));
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        reject(new Problem(400, 'ValidationException', 'The body is not valid JSON'));
      }
    });
    req.on('error', reject);
  });
}

/** @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res */
async function handle(req, res) {
  try {
    const key = req.headers['x-api-key'];
    const body = await readJson(req);
    send(res, 200, await createCheckout(store, typeof key === 'string' ? key : undefined, body));
  } catch (error) {
    const p =
      error instanceof Problem
        ? /** @type {any} */ (error)
        : { status: 500, code: 'InternalServerError', errors: [] };
    const message = /** @type {Error} */ (error)?.message;
    if (!res.headersSent)
      send(res, p.status, {
        ResponseStatus: { ErrorCode: p.code, Message: message, Errors: p.errors },
      });
  }
}

const server = createServer((req, res) => {
  if (req.method === 'POST' && req.url?.split('?')[0] === '/payment/stripe/v1/checkout')
    void handle(req, res);
  else
    send(res, 404, {
      ResponseStatus: { ErrorCode: 'NotFound', Message: 'No such route', Errors: [] },
    });
});
server.keepAliveTimeout = 5_000;

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' ? address?.port : ''}`;
  if (process.send) process.send({ type: 'ready', url });
  else console.log(`reference listening on ${url}`);
});

const stop = () => {
  server.close();
  server.closeAllConnections();
  void store.close().finally(() => process.exit(0));
};
process.on('disconnect', stop);
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
