/**
 * The CLI's environment defaults. main.ts imports this file before anything else: the
 * configuration module validates process.env (and writes its defaults back into it) as soon as
 * #platform is loaded, so whatever the CLI changes must be in place before that.
 */

// The CLI records events but never delivers them: the API (RELAY=inline, the default with the
// embedded database) or `npm run start:worker` does, whatever RELAY says in this shell.
process.env.RELAY = 'off';

// stdout carries the commands' answers (JSON for user:create and api-key:create) and pino writes
// its lines there too; failures reach stderr through main.ts. LOG_LEVEL=info brings the logs back.
process.env.LOG_LEVEL ??= 'silent';

export {};
