import { InitialSchema1763900000000 } from './1763900000000-initial-schema';
import { ApiKeys1763900100000 } from './1763900100000-api-keys';
import { EventDelivery1763900200000 } from './1763900200000-event-delivery';
import { IdempotencyKeys1763900300000 } from './1763900300000-idempotency-keys';
import { EventOrder1764500000000 } from './1764500000000-event-order';
import { ConfigDefault1764500100000 } from './1764500100000-config-default';
import { EmailKey1764600000000 } from './1764600000000-email-key';
import { IdempotencyLease1764700000000 } from './1764700000000-idempotency-lease';
import { DeliveryRetention1764800000000 } from './1764800000000-delivery-retention';

/** Every migration, in order. Listed by class so they load the same from sources and from dist. */
export const migrations = [InitialSchema1763900000000, ApiKeys1763900100000, EventDelivery1763900200000, IdempotencyKeys1763900300000, EventOrder1764500000000, ConfigDefault1764500100000, EmailKey1764600000000, IdempotencyLease1764700000000, DeliveryRetention1764800000000];
