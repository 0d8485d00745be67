export * from './actor';
export * from './interview';
export * from './interview-config';
export * from './interview.events';
export * from './ports';
export * from './transitions';
