import http from 'node:http';
import { handleAdminRequest } from './admin-routes.js';
import { handleApiRequest, type PipelineDeps } from './api-pipeline.js';
import type { CheckoutService } from './checkout-service.js';
import type { FaultRegistry } from './faults.js';
import { splitUrl } from './form.js';
import { handlePageRequest } from './page-routes.js';
import { sendJson } from './responses.js';
import { unrecognizedUrl } from './stripe-errors.js';

export interface ServerContext {
  pipeline: PipelineDeps;
  service: CheckoutService;
  faults: FaultRegistry;
  adminEnabled: boolean;
  log: (line: string) => void;
}

const BANNER = JSON.stringify({
  object: 'stripe_emulator',
  warning: 'This is a local Stripe emulator for tests. It is NOT Stripe and moves no money.',
});

export function createEmulatorServer(ctx: ServerContext): http.Server {
  return http.createServer((req, res) => {
    dispatch(ctx, req, res).catch((err: unknown) => {
      ctx.log(`internal error: ${err instanceof Error ? err.message : String(err)}`);
      if (res.headersSent) res.destroy();
      else
        sendJson(
          res,
          500,
          JSON.stringify({ error: { type: 'api_error', message: 'Internal emulator error.' } }),
          {},
        );
    });
  });
}

async function dispatch(
  ctx: ServerContext,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  const { path, query } = splitUrl(req.url ?? '/');
  if (path.startsWith('/v1/')) return handleApiRequest(ctx.pipeline, req, res, path, query);
  if (path.startsWith('/c/pay/') && (await handlePageRequest(ctx.service, req, res, path))) return;
  if (
    ctx.adminEnabled &&
    path.startsWith('/_emulator/') &&
    (await handleAdminRequest(ctx.faults, req, res, path))
  ) {
    return;
  }
  if (path === '/' && req.method === 'GET') return sendJson(res, 200, BANNER, {});
  sendJson(res, 404, JSON.stringify(unrecognizedUrl(req.method ?? 'GET', path).body()), {});
}
