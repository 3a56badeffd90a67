import { createInterface } from 'node:readline';
import { codec, protocols } from '../../protocols/index.js';
import { choiceOption, parseOptions, UsageError } from './options.js';

const HELP = `Usage: hub decode <protocol> [--crc strict|lenient] [--transport tcp|udp|http]

Reads JSON lines on stdin, each {"hex": "..."} (bytes as received on one connection, in order)
or {"http": {"method", "path", "headers", "body"}}, and writes one JSON line per input:
{"messages": [...], "replies": ["<hex>", ...], "errors": ["..."]}. Session state (the ident from
a login frame) carries across lines.

Protocols: ${protocols.join(', ')}
`;

export async function runDecode(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions('decode', args, {
    crc: { type: 'string' },
    transport: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const name = positionals[0];
  if (!name) throw new UsageError(`hub decode: give a protocol: ${protocols.join(', ')}`);
  if (!protocols.includes(name as never)) throw new UsageError(`hub decode: unknown protocol "${name}"; known: ${protocols.join(', ')}`);
  const crc = choiceOption('decode', 'crc', values.crc, ['strict', 'lenient'] as const, 'strict');
  const transport = values.transport === undefined ? undefined : choiceOption('decode', 'transport', values.transport, ['tcp', 'udp', 'http'] as const, 'tcp');
  const connection = codec(name, { crc, transport });
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of rl) {
    if (line.trim() === '') continue;
    process.stdout.write(`${JSON.stringify(decodeLine(connection, line))}\n`);
  }
  return 0;
}

function decodeLine(connection: ReturnType<typeof codec>, line: string): { messages: unknown[]; replies: string[]; errors: string[] } {
  let input: unknown;
  try {
    input = JSON.parse(line);
  } catch {
    return { messages: [], replies: [], errors: ['input: not a JSON line'] };
  }
  let bytes: Buffer | undefined;
  if (input && typeof input === 'object' && typeof (input as { hex?: unknown }).hex === 'string') {
    const hex = (input as { hex: string }).hex.replace(/\s+/g, '');
    if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) return { messages: [], replies: [], errors: ['input: "hex" is not an even-length hex string'] };
    bytes = Buffer.from(hex, 'hex');
  } else if (input && typeof input === 'object' && (input as { http?: unknown }).http && typeof (input as { http: unknown }).http === 'object') {
    bytes = Buffer.from(JSON.stringify((input as { http: unknown }).http));
  } else {
    return { messages: [], replies: [], errors: ['input: expected {"hex": "..."} or {"http": {...}}'] };
  }
  const out = connection.decode(bytes);
  return {
    messages: out.messages,
    replies: out.replies.filter((r) => r.length > 0).map((r) => r.toString('hex')) /* an empty HTTP body is no reply */,
    errors: out.errors,
  };
}
