import { createInterface } from 'node:readline';
import { ConnectionCodec } from '../../protocols/common/connection.js';
import { DEFAULT_CODEC_OPTIONS } from '../../protocols/common/types.js';
import { allProtocols } from '../../protocols/index.js';
import { parseOptions } from './options.js';

const HELP = `Usage: hub identify [hex ...]

Reads hex frames (arguments, or one per line on stdin) and prints, for each, the protocols whose
framer and decoder accept it, with a confidence: high (frame cut, decoded into messages or an
answered login, no errors), medium (frame cut without errors), low (frame cut, with errors).
`;

export interface Identification {
  readonly protocol: string;
  readonly confidence: 'high' | 'medium' | 'low';
  readonly detail: string;
}

export function identify(bytes: Buffer): Identification[] {
  const found: Identification[] = [];
  for (const p of allProtocols()) {
    for (const transport of p.transports) {
      if (transport === 'http') continue;
      const conn = new ConnectionCodec(p, { ...DEFAULT_CODEC_OPTIONS, crc: 'lenient' }, transport);
      const out = conn.decode(bytes);
      const framed = out.messages.length > 0 || out.replies.length > 0;
      if (!framed) continue;
      const confidence = out.errors.length === 0 ? (out.messages.length > 0 || out.replies.length > 0 ? 'high' : 'medium') : 'low';
      found.push({
        protocol: p.name,
        confidence,
        detail: `${transport}: ${out.messages.length} message(s), ${out.replies.length} repl${out.replies.length === 1 ? 'y' : 'ies'}${out.errors.length ? `, errors: ${out.errors.join('; ')}` : ''}`,
      });
      break;
    }
  }
  const rank = { high: 0, medium: 1, low: 2 };
  return found.sort((a, b) => rank[a.confidence] - rank[b.confidence]);
}

export async function runIdentify(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions('identify', args, { help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const lines: string[] = [...positionals];
  if (lines.length === 0) for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) if (line.trim()) lines.push(line.trim());
  for (const line of lines) {
    const hex = line.replace(/\s+/g, '');
    if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(hex)) {
      process.stdout.write(`${JSON.stringify({ input: line, error: 'not an even-length hex string' })}\n`);
      continue;
    }
    process.stdout.write(`${JSON.stringify({ input: hex.slice(0, 64), candidates: identify(Buffer.from(hex, 'hex')) })}\n`);
  }
  return 0;
}
