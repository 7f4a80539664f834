export { startStripeEmulator } from './emulator.js';
export { signatureHeader } from './webhook-sender.js';
export type {
  ApiConcurrency,
  AsyncPaymentOutcome,
  EmulatedSession,
  EventDelivery,
  EventOptions,
  FaultKind,
  FaultSpec,
  HeldRequest,
  HoldStage,
  PayOptions,
  RecordedRequest,
  StripeEmulator,
  StripeEmulatorOptions,
  StripeEventPayload,
  StripeEventSent,
} from './types.js';
