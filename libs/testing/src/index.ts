export * from './test-app';
export * from './webhook-receiver';
export * from './amqp-probe';
export * from './retention-rows';
