// @ts-check
/* global Buffer, clearTimeout, performance, setTimeout, URL */
// One keep-alive HTTP request to a service instance, timed, never throwing: a transport failure
// is an answer with status 0 and the error's code.
import http from 'node:http';

/**
 * @typedef {object} Reply
 * @property {number} status 0 when no HTTP answer arrived
 * @property {string} text
 * @property {number} ms
 * @property {string} [error] ECONNRESET, timeout, ...
 */

/**
 * @param {http.Agent} agent
 * @param {string} baseUrl
 * @param {{ method: string, path: string, headers: Record<string, string>, body?: string }} request
 * @param {number} timeoutMs
 * @returns {Promise<Reply>}
 */
export function send(agent, baseUrl, request, timeoutMs) {
  const started = performance.now();
  const url = new URL(request.path, baseUrl);
  return new Promise((resolve) => {
    let settled = false;
    /** @param {Omit<Reply, 'ms'>} reply */
    const done = (reply) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...reply, ms: performance.now() - started });
    };
    const req = http.request(
      url,
      { method: request.method, agent, headers: request.headers },
      (res) => {
        /** @type {Buffer[]} */
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () =>
          done({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', (error) => done({ status: 0, text: '', error: errorCode(error) }));
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      done({ status: 0, text: '', error: 'timeout' });
    }, timeoutMs);
    req.on('error', (error) => done({ status: 0, text: '', error: errorCode(error) }));
    req.end(request.body);
  });
}

/** @param {Error & { code?: string }} error */
const errorCode = (error) => error.code ?? error.message;
