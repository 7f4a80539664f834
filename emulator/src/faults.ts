import type { FaultKind, FaultSpec, HoldStage } from './types.js';

const KINDS: readonly FaultKind[] = [
  '500',
  '429',
  '429-no-retry',
  'hang',
  'reset-after-create',
  'expire-fail',
  'delay',
  'hold',
];
const STAGES: readonly HoldStage[] = ['before', 'after'];

interface ActiveFault {
  spec: FaultSpec;
  method: string | null;
  path: RegExp;
  remaining: number;
}

/** Injected failures for resilience tests; each fault is consumed by the requests it matches. */
export class FaultRegistry {
  private faults: ActiveFault[] = [];

  add(spec: FaultSpec): void {
    if (!KINDS.includes(spec.kind)) {
      throw new Error(
        `unknown fault kind ${JSON.stringify(spec.kind)}; expected one of ${KINDS.join(', ')}`,
      );
    }
    const times = spec.times ?? 1;
    if (!Number.isInteger(times) || times < 1)
      throw new Error('fault times must be a positive integer');
    if (spec.kind === 'delay' && !(typeof spec.ms === 'number' && spec.ms >= 0)) {
      throw new Error('fault kind "delay" needs ms >= 0');
    }
    if (spec.stage !== undefined && (spec.kind !== 'hold' || !STAGES.includes(spec.stage))) {
      throw new Error('fault stage must be "before" or "after", and only with kind "hold"');
    }
    this.faults.push({
      spec,
      method: spec.method ? spec.method.toUpperCase() : null,
      path: new RegExp(spec.path ?? defaultPath(spec.kind)),
      remaining: times,
    });
  }

  /** Finds and consumes the first fault matching this request. Cheap when none are set. */
  take(method: string, path: string): FaultSpec | undefined {
    if (this.faults.length === 0) return undefined;
    const index = this.faults.findIndex(
      (f) => (f.method === null || f.method === method) && f.path.test(path),
    );
    if (index === -1) return undefined;
    const fault = this.faults[index];
    if (--fault.remaining === 0) this.faults.splice(index, 1);
    return fault.spec;
  }

  list(): (FaultSpec & { remaining: number })[] {
    return this.faults.map((f) => ({ ...f.spec, remaining: f.remaining }));
  }

  clear(): void {
    this.faults = [];
  }
}

function defaultPath(kind: FaultKind): string {
  if (kind === 'expire-fail') return '^/v1/checkout/sessions/[^/]+/expire$';
  if (kind === 'reset-after-create') return '^/v1/checkout/sessions$';
  return '^/v1/';
}

/** Validates an untrusted JSON body from POST /_emulator/faults. */
export function parseFaultSpec(value: unknown): FaultSpec {
  if (value === null || typeof value !== 'object') throw new Error('fault must be a JSON object');
  const raw = value as Record<string, unknown>;
  const optionalString = (name: string): string | undefined => {
    const v = raw[name];
    if (v === undefined) return undefined;
    if (typeof v !== 'string') throw new Error(`fault ${name} must be a string`);
    return v;
  };
  const optionalNumber = (name: string): number | undefined => {
    const v = raw[name];
    if (v === undefined) return undefined;
    if (typeof v !== 'number') throw new Error(`fault ${name} must be a number`);
    return v;
  };
  // Only the in-process API (waitForHeld) can release a held request.
  if (raw.kind === 'hold') throw new Error('fault kind "hold" is only available in-process');
  return {
    method: optionalString('method'),
    path: optionalString('path'),
    kind: String(raw.kind) as FaultKind,
    times: optionalNumber('times'),
    ms: optionalNumber('ms'),
  };
}
