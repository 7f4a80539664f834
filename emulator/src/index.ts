export { startStripeEmulator } from './emulator.js';
export { signatureHeader } from './webhook-sender.js';
export type {
  EmulatedSession,
  EventDelivery,
  FaultKind,
  FaultSpec,
  PayOptions,
  RecordedRequest,
  StripeEmulator,
  StripeEmulatorOptions,
  StripeEventPayload,
  StripeEventSent,
} from './types.js';
