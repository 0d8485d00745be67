/**
 * What main.ts saw before the Nest context started (and, with it, applied the pending
 * migrations): lets `db:migrate` tell which migrations this run applied.
 */
export class StartupState {
  /** Names of the migrations recorded in the database before this run, in order. */
  migrationsBefore: string[] = [];
}

export const startupState = new StartupState();
