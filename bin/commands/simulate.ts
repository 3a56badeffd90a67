import { isIP } from 'node:net';
import { choiceOption, intOption, numberOption, parseOptions, portOption, UsageError } from './options.js';
import { coordinate, PROFILES, runShare, sourcePrefix } from './sim-run.js';
import type { SimulateOptions } from './sim-summary.js';

export { PROFILES };

const noAcks = Object.entries(PROFILES)
  .filter(([, p]) => p.transports.includes('udp') && !p.reportsAcked)
  .map(([name]) => name)
  .join(', ');

const HELP = `Usage: hub simulate <protocol> --count N --rate R --duration S [options]

Drives N simulated devices of a protocol against a hub: each connects (and logs in where the
protocol has a login), then sends position reports so that all together send R reports per
second for S seconds, and waits for each ack where the protocol acks. Prints progress every second
on stderr and a JSON summary on stdout: connected, sent, acked, unacked, errors, disconnects,
reconnects, connect time, ack latency p50/p99/max (ms), overall and after the warm-up.

"connected" is the number of devices connected now:
  tcp   connection open and logged in. A device whose connection closes or cannot be opened counts
        as disconnected, reconnects with exponential backoff (1 s doubling to 60 s, +-25 % jitter)
        and logs in again; reports sent but not acked when it dropped count as "unacked".
  udp   UDP has no connection: a device counts as connected once the hub acked one of its reports,
        and as disconnected when a datagram is refused (ICMP port unreachable: ECONNREFUSED, counted
        as an error). The summary's "answered" is the number of devices the hub answered at least
        once. For protocols whose reports are not acked it cannot be known: "connected" shows n/a
        (null in the JSON); these are ${noAcks}.
  http  the device's requests are answered 200.
Exit code 1 when fewer than N devices ever connected (UDP without acks: when fewer than N devices
sent a datagram none of which was refused), 2 on a usage error.

Protocols: ${Object.keys(PROFILES).join(', ')}

Options:
  --count N              devices (default 100)
  --rate R               reports per second, all devices together (default 100)
  --duration S           seconds of reporting once every device is ready (TCP: logged in) (default 10)
  --host H               hub address (default 127.0.0.1)
  --port P               channel port (default 5027)
  --transport T          tcp | udp | http (default: the protocol's first)
  --source-addresses K   spread sockets over K loopback source addresses 127.x.y.1 .. 127.x.y.K
                         (loopback hub only; past ~28,000 sockets per address the ephemeral ports
                         run out), with explicit source ports (default 1: the kernel chooses)
  --source-prefix 127.x.y  the addresses' first octets (default: random per run)
  --workers W            simulator processes, each with N/W devices (a process may open
                         20,000 files here) (default 1)
  --connect-rate C       new connections per second (default 5000; the listen backlog is finite)
  --first-ident-index I  number of the first device (idents are derived from it) (default 0)
  --warmup S             seconds of reporting left out of "ack_ms_steady" (default 0)
  --json-progress        progress lines as JSON
  -h, --help             this text
`;

const OPTIONS = {
  count: { type: 'string' },
  rate: { type: 'string' },
  duration: { type: 'string' },
  host: { type: 'string' },
  port: { type: 'string' },
  transport: { type: 'string' },
  'source-addresses': { type: 'string' },
  workers: { type: 'string' },
  'connect-rate': { type: 'string' },
  'first-ident-index': { type: 'string' },
  warmup: { type: 'string' },
  'source-prefix': { type: 'string' },
  'json-progress': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function runSimulate(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions('simulate', args, OPTIONS);
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const o = simulateOptions(values, positionals[0]);
  if (process.env.HUB_SIMULATE_CHILD === '1' && process.send) {
    // a worker of a parent simulate: report progress, wait for the parent's go before reporting
    const go = new Promise<void>((resolve) => process.once('message', () => resolve()));
    await runShare(
      o,
      (p) => process.send?.(p),
      () => go,
    );
    await new Promise<void>((r) => process.send?.({ flushed: true }, undefined, undefined, () => r()));
    process.disconnect();
    return 0;
  }
  const workers = intOption('simulate', 'workers', values.workers, 1, 1, 64);
  const summary = await coordinate(o, workers, values['json-progress'], withoutShareArgs(args));
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  return summary.loggedIn < o.count ? 1 : 0;
}

/** The run's options from the command line, every value checked (a mistake is a usage error: exit 2). */
function simulateOptions(values: ReturnType<typeof parseOptions<typeof OPTIONS>>['values'], protocol: string | undefined): SimulateOptions {
  const profile = protocol ? PROFILES[protocol] : undefined;
  if (!protocol || !profile) {
    throw new UsageError(
      protocol
        ? `hub simulate: unknown protocol "${protocol}"; known: ${Object.keys(PROFILES).join(', ')}`
        : `hub simulate: give a protocol: ${Object.keys(PROFILES).join(', ')}`,
    );
  }
  const transport = choiceOption('simulate', 'transport', values.transport, profile.transports, profile.transports[0]);
  const host = values.host ?? '127.0.0.1';
  if (isIP(host) === 0 && host !== 'localhost') throw new UsageError(`hub simulate: --host must be an IP address, got "${host}"`);
  return {
    protocol,
    count: intOption('simulate', 'count', values.count, 100, 1, 1_000_000),
    rate: numberOption('simulate', 'rate', values.rate, 100),
    durationS: numberOption('simulate', 'duration', values.duration, 10),
    host,
    port: portOption('simulate', 'port', values.port, 5027, false),
    transport,
    sourceAddresses: intOption('simulate', 'source-addresses', values['source-addresses'], 1, 1, 250),
    connectRate: numberOption('simulate', 'connect-rate', values['connect-rate'], 5000),
    firstIndex: intOption('simulate', 'first-ident-index', values['first-ident-index'], 0, 0, 1_000_000_000),
    warmupS: numberOption('simulate', 'warmup', values.warmup, 0),
    sourcePrefix: sourcePrefix(values['source-prefix']),
  };
}

/** The parent's arguments minus those each worker gets its own value of. */
function withoutShareArgs(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (['--count', '--rate', '--connect-rate', '--first-ident-index', '--workers', '--source-prefix'].includes(args[i])) {
      i++;
      continue;
    }
    if (/^--(count|rate|connect-rate|first-ident-index|workers|source-prefix)=/.test(args[i])) continue;
    out.push(args[i]);
  }
  return ['simulate', ...out];
}
