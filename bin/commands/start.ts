import { join } from 'node:path';
import type { Logger } from '../../core/logger.js';
import { choiceOption, intOption, parseOptions, portOption } from './options.js';

const HELP = `Usage: hub start [--data-dir DIR | --memory] [--api-port 8080] [--host 127.0.0.1]

Runs the whole hub: this process runs ingest, streams and the REST API; dynalite and the channel
listener run in child processes (acks never wait for ingest; this process and dynalite run at
nice 10 so that the listener gets the CPU first), all stopped with it. Data is kept
under --data-dir (default ./data); one hub per data directory. The admin token comes from
HUB_ADMIN_TOKEN, else it is generated on first start, printed once and kept in
<data-dir>/admin-token. SIGINT or SIGTERM (to this process, or to the npm that started it)
drains: listeners stop accepting, acknowledged frames are flushed, sockets close.

Options:
  --data-dir DIR     where data is kept (default ./data)
  --memory           keep nothing on disk
  --api-port PORT    REST API port (default 8080)
  --host HOST        address to listen on (default 127.0.0.1)
  --log-level LEVEL  debug | info | warn | error (default info)
  --channel-port N   port of the Teltonika channel created on first start (default 5027); given on
                     a later start, the default channel moves to it
  --tile-url URL     map tiles for the console (default OpenStreetMap's standard tiles;
                     "none" draws tracks on a grid); HUB_TILE_URL does the same
  --listener-workers N
                     listener processes (node:cluster workers, connections dealt round-robin;
                     default 1, or HUB_LISTENER_WORKERS). A process may open 20,000 files here:
                     use 3 or more for 50,000 connections
  --single-process   run dynalite and the listener in this process too (less memory; under load
                     acks wait behind ingest)
`;

const OPTIONS = {
  'data-dir': { type: 'string' },
  memory: { type: 'boolean' },
  'api-port': { type: 'string' },
  host: { type: 'string' },
  'log-level': { type: 'string' },
  'channel-port': { type: 'string' },
  'tile-url': { type: 'string' },
  'listener-workers': { type: 'string' },
  'single-process': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** How often the hub checks that the process that started it (npm, a shell) is still there (ms). */
const PARENT_CHECK_MS = 1000;

export async function runStart(args: string[]): Promise<number> {
  const { values } = parseOptions('start', args, OPTIONS);
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const level = choiceOption('start', 'log-level', values['log-level'], ['debug', 'info', 'warn', 'error'] as const, 'info');
  const options = {
    apiPort: portOption('start', 'api-port', values['api-port'], 8080),
    channelPort: portOption('start', 'channel-port', values['channel-port'], 5027),
    listenerWorkers: intOption('start', 'listener-workers', values['listener-workers'] ?? (process.env.HUB_LISTENER_WORKERS || undefined), 1, 1, 64),
  };
  configureLocalEnvironment(level);
  const { textLogger } = await import('../../core/logger.js');
  const { startLocalHub } = await import('../../local/runtime.js');
  const { packageRoot, packageVersion } = await import('../../lib/paths.js');
  const { BACKGROUND_NICE } = await import('../../adapters/local/priority.js');
  const logger = textLogger(level);
  const host = values.host ?? '127.0.0.1';
  const hub = await startLocalHub({
    dataDir: values['data-dir'] ?? './data',
    memory: values.memory,
    apiPort: options.apiPort,
    host,
    adminToken: process.env.HUB_ADMIN_TOKEN || undefined,
    logger,
    defaultChannelPort: options.channelPort,
    moveDefaultChannel: values['channel-port'] !== undefined,
    listenerWorkers: options.listenerWorkers,
    singleProcess: values['single-process'],
    backgroundNice: BACKGROUND_NICE,
    listenerLogLevel: level,
    consoleDir: join(packageRoot(), 'console', 'dist'),
    tileUrl: values['tile-url'] ?? process.env.HUB_TILE_URL,
    version: packageVersion(),
  });
  process.stdout.write(banner(hub, host));
  await untilStopped(() => hub.stop(), logger);
  logger.info('stopped cleanly');
  return 0;
}

function banner(hub: Awaited<ReturnType<typeof import('../../local/runtime.js').startLocalHub>>, host: string): string {
  const lines = [
    'Telematics Hub is running',
    `  REST API     ${hub.apiUrl}   (Authorization: FlespiToken <token>)`,
    `  console      ${hub.apiUrl}/`,
    ...hub.listeners.channels.map((c) => `  channel ${c.id}    ${c.configuration.transport} ${host}:${c.configuration.port}   ${c.protocol_name}`),
    `  data         ${hub.dataDir ?? '(memory only)'}`,
    hub.tokenGenerated
      ? `  admin token  ${hub.adminToken}   (generated now${hub.dataDir ? `, kept in ${hub.dataDir}/admin-token` : ''}; set HUB_ADMIN_TOKEN to choose one)`
      : `  admin token  ${process.env.HUB_ADMIN_TOKEN ? 'from HUB_ADMIN_TOKEN' : `in ${hub.dataDir}/admin-token`}`,
    ...hub.notices.map((n) => `  note         ${n}`),
    'Press Ctrl-C to stop.',
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * Resolves once the hub drained after SIGINT or SIGTERM, or after the process that started it went
 * away (a supervisor that signals `npm start` reaches npm, not always the hub: the hub follows its
 * parent). A second signal forces the exit.
 */
function untilStopped(stop: () => Promise<void>, logger: Logger): Promise<void> {
  return new Promise<void>((resolve) => {
    let stopping = false;
    const parent = process.ppid;
    const watch = setInterval(() => {
      if (process.ppid !== parent) begin(`parent process ${parent} exited`);
    }, PARENT_CHECK_MS);
    watch.unref();
    function begin(reason: string): void {
      if (stopping) {
        process.stderr.write('forced exit\n');
        process.exit(1);
      }
      stopping = true;
      clearInterval(watch);
      logger.info('stopping', { reason });
      stop().then(resolve, (err) => {
        logger.error('stop failed', { error: String(err) });
        resolve();
      });
    }
    process.on('SIGINT', () => begin('SIGINT'));
    process.on('SIGTERM', () => begin('SIGTERM'));
    process.on('SIGHUP', () => begin('SIGHUP'));
  });
}

/** Powertools in local mode: quieter logs, no EMF metrics on stdout, no tracing. */
function configureLocalEnvironment(level: string): void {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  process.env.POWERTOOLS_LOG_LEVEL ??= level === 'debug' ? 'DEBUG' : 'WARN';
  process.env.POWERTOOLS_SERVICE_NAME ??= 'telematics-hub-local';
}
