export * from './interviews.module';
export * from './domain';
