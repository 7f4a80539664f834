import { InitialPaymentsSchema1764000000000 } from './1764000000000-InitialPaymentsSchema.js';
import { PrefixPaymentsTables1764050000000 } from './1764050000000-PrefixPaymentsTables.js';
import { ByteExactIdentifiers1764100000000 } from './1764100000000-ByteExactIdentifiers.js';
import { PaymentEvents1764200000000 } from './1764200000000-PaymentEvents.js';
import { QueryIndexes1764400000000 } from './1764400000000-QueryIndexes.js';
import { WebhookDelivery1764500000000 } from './1764500000000-WebhookDelivery.js';
import { JobLeasesAndRetention1764600000000 } from './1764600000000-JobLeasesAndRetention.js';

/** Every migration of the module, in order; a host app adds these to its own DataSource. */
export const PAYMENTS_MIGRATIONS = [
  InitialPaymentsSchema1764000000000,
  PrefixPaymentsTables1764050000000,
  ByteExactIdentifiers1764100000000,
  PaymentEvents1764200000000,
  QueryIndexes1764400000000,
  WebhookDelivery1764500000000,
  JobLeasesAndRetention1764600000000,
];
