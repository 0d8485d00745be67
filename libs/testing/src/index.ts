export * from './test-app';
export * from './webhook-receiver';
