import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultRegistry } from './faults.js';
import { parseFaultSpec } from './faults.js';
import { readBody } from './form.js';
import { sendJson } from './responses.js';

/** POST/GET/DELETE /_emulator/faults; the caller only routes here when faults are enabled. */
export async function handleAdminRequest(
  faults: FaultRegistry,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<boolean> {
  if (path !== '/_emulator/faults') return false;
  const reply = (status: number, body: unknown): void =>
    sendJson(res, status, JSON.stringify(body), {});
  switch (req.method) {
    case 'POST': {
      try {
        faults.add(parseFaultSpec(JSON.parse(await readBody(req))));
      } catch (err) {
        reply(400, { error: { message: err instanceof Error ? err.message : String(err) } });
        return true;
      }
      reply(200, { faults: faults.list() });
      return true;
    }
    case 'DELETE':
      faults.clear();
      reply(200, { faults: [] });
      return true;
    case 'GET':
      reply(200, { faults: faults.list() });
      return true;
    default:
      return false;
  }
}
