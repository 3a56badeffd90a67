#!/usr/bin/env node
/**
 * `hub`: the Telematics Hub command line.
 *   hub start      run the whole hub locally
 *   hub decode     decode frames (JSON lines on stdin) with a protocol's codec
 *   hub identify   name the protocols whose framer accepts a hex frame
 *   hub simulate   drive simulated devices of a protocol against a hub
 */
import { parseArgs } from 'node:util';

const HELP = `Telematics Hub

Usage: hub <command> [options]

Commands:
  start       Run the hub locally: listeners, ingest, storage (dynalite) and the REST API
  decode      Decode frames of one protocol: JSON lines on stdin -> JSON lines on stdout
  identify    Read hex frames (one per line) and name the protocols that accept them
  dlq         List, replay or discard the ingest dead letters of a running hub
  simulate    Drive simulated devices of a protocol against a hub (load tests, demos)

Run "hub <command> --help" for the options of a command.
`;

const START_HELP = `Usage: hub start [--data-dir DIR | --memory] [--api-port 8080] [--host 127.0.0.1]

Runs the whole hub in one process. Data is kept under --data-dir (default ./data).
The admin token comes from HUB_ADMIN_TOKEN, else it is generated on first start, printed once
and kept in <data-dir>/admin-token.

Options:
  --data-dir DIR     where data is kept (default ./data)
  --memory           keep nothing on disk
  --api-port PORT    REST API port (default 8080)
  --host HOST        address to listen on (default 127.0.0.1)
  --log-level LEVEL  debug | info | warn | error (default info)
  --channel-port N   port of the Teltonika channel created on first start (default 5027)
  --listener-workers N
                     listener processes (node:cluster workers, connections dealt round-robin);
                     1 serves in this process (default 1, or HUB_LISTENER_WORKERS). A process may
                     open 20,000 files here: use 3 or more for 50,000 connections
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(HELP);
      return 0;
    case 'start':
      return start(rest);
    case 'decode': {
      const { runDecode } = await import('./commands/decode.js');
      return runDecode(rest);
    }
    case 'dlq': {
      const { runDlq } = await import('./commands/dlq.js');
      return runDlq(rest);
    }
    case 'identify': {
      const { runIdentify } = await import('./commands/identify.js');
      return runIdentify(rest);
    }
    case 'simulate': {
      const { runSimulate } = await import('./commands/simulate.js');
      return runSimulate(rest);
    }
    default:
      process.stderr.write(`hub: unknown command "${command}"\n\n${HELP}`);
      return 2;
  }
}

async function start(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      'data-dir': { type: 'string', default: './data' },
      memory: { type: 'boolean', default: false },
      'api-port': { type: 'string', default: '8080' },
      host: { type: 'string', default: '127.0.0.1' },
      'log-level': { type: 'string', default: 'info' },
      'channel-port': { type: 'string', default: '5027' },
      'listener-workers': { type: 'string', default: process.env.HUB_LISTENER_WORKERS || '1' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(START_HELP);
    return 0;
  }
  const apiPort = Number(values['api-port']);
  if (!Number.isInteger(apiPort) || apiPort < 0 || apiPort > 65535) {
    process.stderr.write(`hub start: --api-port must be a port number, got "${values['api-port']}"\n`);
    return 2;
  }
  const channelPort = Number(values['channel-port']);
  if (!Number.isInteger(channelPort) || channelPort < 0 || channelPort > 65535) {
    process.stderr.write(`hub start: --channel-port must be a port number, got "${values['channel-port']}"\n`);
    return 2;
  }
  const listenerWorkers = Number(values['listener-workers']);
  if (!Number.isInteger(listenerWorkers) || listenerWorkers < 1 || listenerWorkers > 64) {
    process.stderr.write(`hub start: --listener-workers must be a number from 1 to 64, got "${values['listener-workers']}"\n`);
    return 2;
  }
  const level = values['log-level'] as 'debug' | 'info' | 'warn' | 'error';
  if (!['debug', 'info', 'warn', 'error'].includes(level)) {
    process.stderr.write(`hub start: --log-level must be debug, info, warn or error\n`);
    return 2;
  }
  configureLocalEnvironment(level);
  const { textLogger } = await import('../core/logger.js');
  const { startLocalHub } = await import('../local/runtime.js');
  const { packageRoot } = await import('../lib/paths.js');
  const { join } = await import('node:path');
  const logger = textLogger(level);
  const hub = await startLocalHub({
    dataDir: values['data-dir'] ?? './data',
    memory: values.memory ?? false,
    apiPort,
    host: values.host ?? '127.0.0.1',
    adminToken: process.env.HUB_ADMIN_TOKEN || undefined,
    logger,
    defaultChannelPort: channelPort,
    listenerWorkers,
    listenerLogLevel: level,
    consoleDir: join(packageRoot(), 'console', 'dist'),
  });
  const lines = [
    'Telematics Hub is running',
    `  REST API     ${hub.apiUrl}   (Authorization: FlespiToken <token>)`,
    `  console      ${hub.apiUrl}/`,
    ...hub.listeners.channels.map((c) => `  channel ${c.id}    ${c.configuration.transport} ${values.host}:${c.configuration.port}   ${c.protocol_name}`),
    `  data         ${hub.dataDir ?? '(memory only)'}`,
    hub.tokenGenerated
      ? `  admin token  ${hub.adminToken}   (generated now${hub.dataDir ? `, kept in ${hub.dataDir}/admin-token` : ''}; set HUB_ADMIN_TOKEN to choose one)`
      : `  admin token  ${process.env.HUB_ADMIN_TOKEN ? 'from HUB_ADMIN_TOKEN' : `in ${hub.dataDir}/admin-token`}`,
    'Press Ctrl-C to stop.',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) {
        process.stderr.write('forced exit\n');
        process.exit(1);
      }
      stopping = true;
      logger.info('stopping', { signal });
      hub.stop().then(
        () => resolve(),
        (err) => {
          logger.error('stop failed', { error: String(err) });
          resolve();
        },
      );
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  logger.info('stopped cleanly');
  return 0;
}

/** Powertools in local mode: quieter logs, no EMF metrics on stdout, no tracing. */
function configureLocalEnvironment(level: string): void {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  process.env.POWERTOOLS_LOG_LEVEL ??= level === 'debug' ? 'DEBUG' : 'WARN';
  process.env.POWERTOOLS_SERVICE_NAME ??= 'telematics-hub-local';
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`hub: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
