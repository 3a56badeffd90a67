import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { safeDecode } from '../../protocols/common/connection.js';
import type { CodecOptions, Message, ProtocolCodec, SessionState, Transport } from '../../protocols/common/types.js';

/**
 * The Traccar conformance corpus (../shared/conformance/traccar, beside the checkout; never copied
 * into the repository). Tests read it when present and skip with a visible message when not.
 */
export const CONFORMANCE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/conformance/traccar');

export interface ConformanceEntry {
  transport: Transport;
  encoding: 'hex' | 'text';
  frame: string;
  http?: { method: string; path: string; headers?: Record<string, string>; body?: string; bodyEncoding?: string };
  expect: {
    result?: 'null' | 'notNull' | 'position' | 'positions';
    checkLocation?: boolean;
    attributesNotEmpty?: boolean;
    position?: { time?: string; valid?: boolean; latitude?: number; longitude?: number };
    attributes?: Record<string, unknown>;
    fields?: Record<string, unknown>;
    frames?: string[];
    command?: { type: string; attributes?: Record<string, unknown> };
  };
  kind: 'decode' | 'frameDecoder' | 'encode';
  source: string;
  test: string;
  seq: number;
  setup?: string[];
}

export function loadCorpus(file: string): ConformanceEntry[] | undefined {
  const path = join(CONFORMANCE_DIR, file);
  if (!existsSync(path)) return undefined;
  return JSON.parse(readFileSync(path, 'utf8')) as ConformanceEntry[];
}

/** Raw bytes of an entry as the device sends them (OsmAnd: the request as a JSON frame). */
export function entryBytes(e: ConformanceEntry): Buffer {
  if (e.transport === 'http') {
    const h = e.http ?? { method: 'GET', path: e.frame };
    return Buffer.from(JSON.stringify({ method: h.method, path: h.path, headers: h.headers ?? {}, body: h.body ?? '' }));
  }
  return e.encoding === 'hex' ? Buffer.from(e.frame, 'hex') : Buffer.from(e.frame, 'utf8');
}

/** `decoder.setModelOverride("X")` → {modelOverride: "X"}; `decoder.setExtended(true)` → {extended: true}. */
export function setupSettings(setup: readonly string[] | undefined): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const line of setup ?? []) {
    const m = /\.set(\w+)\((.*)\)/.exec(line);
    if (!m) continue;
    const key = m[1][0].toLowerCase() + m[1].slice(1);
    const raw = m[2].trim();
    out[key] = raw === 'true' ? true : raw === 'false' ? false : /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw.replace(/^"|"$/g, '');
  }
  return out;
}

/** How a Traccar attribute reads in our messages: our parameter name and a value conversion. */
export type AttributeMap = Record<string, { name: string; convert?: (ours: unknown) => unknown }>;

export interface EntryResult {
  readonly entry: ConformanceEntry;
  readonly messages: Message[];
  readonly replies: Buffer[];
  readonly errors: string[];
  readonly pass: boolean;
  readonly problems: string[];
}

const KNOTS_PER_KMH = 1 / 1.852;
/** The receive time the replay gives frames (fixed, so results do not depend on the clock). */
export const REPLAY_RECEIVED_AT = Date.UTC(2026, 0, 15) / 1000;

/**
 * Replays every decode entry of a corpus file: each (source, test) group in `seq` order on one
 * session, bypassing the framer (as Traccar's decoder tests do), with a lenient CRC policy
 * (Traccar does not check CRCs), and checks what the corpus expects.
 */
export function replayDecode(protocol: ProtocolCodec, entries: readonly ConformanceEntry[], attributes: AttributeMap = {}): EntryResult[] {
  const groups = new Map<string, ConformanceEntry[]>();
  for (const e of entries.filter((x) => x.kind === 'decode')) {
    const key = `${e.source}#${e.test}`;
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  const results: EntryResult[] = [];
  for (const group of groups.values()) {
    group.sort((a, b) => a.seq - b.seq);
    const state: SessionState = { transport: group[0].transport, vars: {} };
    for (const entry of group) {
      state.vars = { ...state.vars };
      const options: CodecOptions = { crc: 'lenient', maxFrameSize: 1 << 20, settings: setupSettings(entry.setup) };
      const frame = entryBytes(entry);
      const errors: string[] = [];
      const replies: Buffer[] = [];
      let messages: Message[] = [];
      try {
        const insp = protocol.inspect(frame, { ...state, transport: entry.transport }, options);
        if (insp.ident) state.ident = insp.ident;
        if (insp.vars) Object.assign(state.vars, insp.vars);
        if (insp.reply) replies.push(insp.reply);
        if (insp.error) errors.push(insp.error.toString());
        const decoded = safeDecode(protocol, frame, { transport: entry.transport, ident: state.ident, vars: state.vars }, options, REPLAY_RECEIVED_AT);
        // as ingest does: a message without a device time takes the receive time
        messages = decoded.messages.map((m) => (m.timestamp === undefined ? { ...m, timestamp: REPLAY_RECEIVED_AT } : m));
        errors.push(...decoded.errors.map((x) => x.toString()));
      } catch (err) {
        errors.push(`threw: ${err instanceof Error ? err.message : String(err)}`);
      }
      const problems = check(entry, messages, attributes);
      results.push({ entry, messages, replies, errors, pass: problems.length === 0, problems });
    }
  }
  return results;
}

function check(e: ConformanceEntry, messages: Message[], attributes: AttributeMap): string[] {
  const p: string[] = [];
  const x = e.expect;
  switch (x.result) {
    case 'null':
      if (messages.some((m) => m['position.latitude'] !== undefined)) p.push('expected no position, got one');
      return p;
    case 'notNull':
      if (messages.length === 0) p.push('expected a message, got none');
      return p;
    case 'position':
    case 'positions':
      if (messages.length === 0) {
        p.push('expected message(s), got none');
        return p;
      }
  }
  if (x.checkLocation) {
    for (const m of messages) {
      const lat = m['position.latitude'];
      const lon = m['position.longitude'];
      if (typeof lat !== 'number' || typeof lon !== 'number') p.push('message without position.latitude/longitude');
      else if (Math.abs(lat) > 90 || Math.abs(lon) > 180) p.push(`coordinates out of range ${lat},${lon}`);
      const ts = m.timestamp;
      if (typeof ts !== 'number') p.push('message without timestamp');
    }
  }
  if (x.attributesNotEmpty && Object.keys(messages[0]).length < 2) p.push('message has no parameters');
  const first = messages[0];
  if (x.position) {
    const pos = x.position;
    if (pos.time) {
      const want = Date.parse(`${pos.time.replace(' ', 'T')}Z`) / 1000;
      if (typeof first.timestamp !== 'number' || Math.abs(first.timestamp - want) > 0.0015) p.push(`timestamp ${first.timestamp} != ${want} (${pos.time})`);
    }
    if (
      pos.latitude !== undefined &&
      !(typeof first['position.latitude'] === 'number' && Math.abs((first['position.latitude'] as number) - pos.latitude) <= 1e-5)
    )
      p.push(`latitude ${first['position.latitude']} != ${pos.latitude}`);
    if (
      pos.longitude !== undefined &&
      !(typeof first['position.longitude'] === 'number' && Math.abs((first['position.longitude'] as number) - pos.longitude) <= 1e-5)
    )
      p.push(`longitude ${first['position.longitude']} != ${pos.longitude}`);
    if (pos.valid !== undefined && first['position.valid'] !== undefined && first['position.valid'] !== pos.valid)
      p.push(`valid ${first['position.valid']} != ${pos.valid}`);
  }
  for (const [key, want] of Object.entries(x.fields ?? {})) {
    if (key === 'speed' && typeof want === 'number') {
      const kmh = first['position.speed'];
      if (typeof kmh !== 'number' || Math.abs(kmh * KNOTS_PER_KMH - want) > 0.05 + want * 0.01) p.push(`speed ${kmh} km/h != ${want} kn`);
    } else if (key === 'course' && typeof want === 'number') {
      if (typeof first['position.direction'] !== 'number' || Math.abs((first['position.direction'] as number) - want) > 0.5)
        p.push(`direction ${first['position.direction']} != ${want}`);
    } else if (key === 'altitude' && typeof want === 'number') {
      if (typeof first['position.altitude'] !== 'number' || Math.abs((first['position.altitude'] as number) - want) > 0.5)
        p.push(`altitude ${first['position.altitude']} != ${want}`);
    }
  }
  for (const [key, want] of Object.entries(x.attributes ?? {})) {
    const map = attributes[key];
    if (!map) continue;
    const raw = first[map.name];
    const got = map.convert ? map.convert(raw) : raw;
    const same =
      typeof want === 'number' && typeof got === 'number'
        ? Math.abs(want - got) <= 1e-6 * Math.max(1, Math.abs(want))
        : want === null
          ? got === undefined
          : got === want;
    if (!same) p.push(`${key} (${map.name}) = ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
  }
  return p;
}

/** Prints the pass-rate line the acceptance asks for, and returns the rate. */
export function reportPassRate(protocol: string, results: readonly EntryResult[]): number {
  const passed = results.filter((r) => r.pass).length;
  const rate = results.length === 0 ? 1 : passed / results.length;
  const failed = results
    .filter((r) => !r.pass)
    .slice(0, 10)
    .map((r) => `    ${r.entry.test}#${r.entry.seq}: ${r.problems.join('; ')}${r.errors.length ? ` [${r.errors.join('; ')}]` : ''}`);
  console.log(
    `conformance ${protocol.padEnd(12)} ${passed}/${results.length} decode frames pass (${(rate * 100).toFixed(1)}%)${failed.length ? `\n${failed.join('\n')}` : ''}`,
  );
  return rate;
}

/** Sanity of any decoded message (STYLE §5): time after 1999 and at most a day ahead, valid ranges. */
export function sanityProblems(m: Message, now = Date.now() / 1000): string[] {
  const p: string[] = [];
  const ts = m.timestamp;
  if (ts !== undefined && (typeof ts !== 'number' || ts < 915148800 || ts > now + 86400)) p.push(`timestamp ${ts} outside 1999..now+1d`);
  const lat = m['position.latitude'];
  const lon = m['position.longitude'];
  if (lat !== undefined && (typeof lat !== 'number' || Math.abs(lat) > 90)) p.push(`latitude ${lat}`);
  if (lon !== undefined && (typeof lon !== 'number' || Math.abs(lon) > 180)) p.push(`longitude ${lon}`);
  const speed = m['position.speed'];
  if (speed !== undefined && (typeof speed !== 'number' || speed < 0 || speed > 1700)) p.push(`speed ${speed}`);
  const dir = m['position.direction'];
  if (dir !== undefined && (typeof dir !== 'number' || dir < 0 || dir > 360)) p.push(`direction ${dir}`);
  const alt = m['position.altitude'];
  if (alt !== undefined && (typeof alt !== 'number' || alt < -1000 || alt > 60000)) p.push(`altitude ${alt}`);
  return p;
}
