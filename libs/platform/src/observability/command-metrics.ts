import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { Histogram } from 'prom-client';
import { toErrorAnswer } from '../http/error-response';
import { MetricsRegistry } from './metrics-registry';

const INSTRUMENTED = Symbol('observability:instrumented');

type Execute = (command: object, ...rest: unknown[]) => Promise<unknown>;

/** success, the error's code (a DomainError's, or the one the HTTP error mapping gives), else `error`. */
export function outcomeOf(error: unknown): string {
  const { code } = toErrorAnswer(error);
  return code === 'internal' ? 'error' : code;
}

/**
 * `command_duration_seconds{command, outcome}`: CommandBus.execute is wrapped once at start, so
 * every command is timed without touching a handler. Every CommandBus of the app is wrapped, in
 * case a module imports the plain `CqrsModule` and so gets a bus of its own besides the global one
 * of `CqrsModule.forRoot()`.
 */
@Injectable()
export class CommandMetrics implements OnModuleInit {
  readonly duration: Histogram<'command' | 'outcome'>;

  constructor(
    registry: MetricsRegistry,
    private readonly discovery: DiscoveryService,
  ) {
    this.duration = new Histogram({
      name: 'command_duration_seconds',
      help: 'Duration of commands through the CommandBus, by command and outcome (success, an error code, or error)',
      labelNames: ['command', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
  }

  onModuleInit(): void {
    const buses = new Set<CommandBus>();
    for (const wrapper of this.discovery.getProviders()) {
      if (wrapper.instance instanceof CommandBus) buses.add(wrapper.instance);
    }
    for (const bus of buses) this.instrument(bus);
  }

  private instrument(bus: CommandBus & { [INSTRUMENTED]?: true }): void {
    if (bus[INSTRUMENTED]) return;
    const execute = (bus.execute as Execute).bind(bus);
    const duration = this.duration;
    const instrumented: Execute = async (command, ...rest) => {
      const end = duration.startTimer({ command: command?.constructor?.name ?? 'unknown' });
      try {
        const result = await execute(command, ...rest);
        end({ outcome: 'success' });
        return result;
      } catch (error) {
        end({ outcome: outcomeOf(error) });
        throw error;
      }
    };
    Object.defineProperty(bus, 'execute', { value: instrumented, writable: true, configurable: true });
    bus[INSTRUMENTED] = true;
  }
}
