#!/usr/bin/env node
/**
 * `hub`: the Telematics Hub command line. Each command lives in bin/commands/<name>.ts; this file
 * dispatches, prints help and the version, and turns usage mistakes into exit code 2.
 */
import { packageVersion } from '../lib/paths.js';
import { UsageError } from './commands/options.js';

const HELP = `Telematics Hub

Usage: hub <command> [options]

Commands:
  start       Run the hub locally: listeners, ingest, storage (dynalite) and the REST API
  decode      Decode frames of one protocol: JSON lines on stdin -> JSON lines on stdout
  identify    Read hex frames (one per line) and name the protocols that accept them
  dlq         List, replay or discard the ingest dead letters of a running hub
  simulate    Drive simulated devices of a protocol against a hub (load tests, demos)

Options: --version, --help. Run "hub <command> --help" for the options of a command.
`;

type Command = (args: string[]) => Promise<number>;

const COMMANDS: Readonly<Record<string, () => Promise<Command>>> = {
  start: async () => (await import('./commands/start.js')).runStart,
  decode: async () => (await import('./commands/decode.js')).runDecode,
  dlq: async () => (await import('./commands/dlq.js')).runDlq,
  identify: async () => (await import('./commands/identify.js')).runIdentify,
  simulate: async () => (await import('./commands/simulate.js')).runSimulate,
};

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(HELP);
    return 0;
  }
  if (command === '--version' || command === '-v' || command === 'version') {
    process.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  const load = COMMANDS[command];
  if (!load) throw new UsageError(`hub: unknown command "${command}"; commands: ${Object.keys(COMMANDS).join(', ')}`);
  return (await load())(rest);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    if (err instanceof UsageError) {
      process.stderr.write(`${err.message}\n${/^hub: /.test(err.message) ? '' : `Run "hub ${process.argv[2]} --help" for its options.\n`}`);
      process.exit(2);
    }
    process.stderr.write(`hub: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
