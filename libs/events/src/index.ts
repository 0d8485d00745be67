export * from './events.module';
export { EventLog, type EventJson } from './event-log';
export { EventRelay } from './relay/event-relay';
export { BrokerHealthIndicator } from './broker.health';
export { EXCHANGE } from './relay/broker-publisher';
export { signWebhook, verifyWebhook } from './webhooks/signature';
