import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProtocolName, Transport } from '../../protocols/common/types.js';

/** The Traccar conformance corpus beside the checkout (not part of the repository). */
export const CORPUS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/conformance/traccar');

/** Each protocol's file in the corpus (Traccar's decoder names where they differ from ours). */
export const CORPUS_FILES: Readonly<Record<ProtocolName, string>> = {
  teltonika: 'teltonika.json',
  gt06: 'gt06.json',
  h02: 'h02.json',
  meitrack: 'meitrack.json',
  osmand: 'osmand.json',
  queclink: 'queclink.json',
  ruptela: 'ruptela.json',
  wialon_ips: 'wialon.json',
  galileosky: 'galileo.json',
  jt808: 'jt808.json',
  gps103: 'gps103.json',
  suntech: 'suntech.json',
  tk103: 'tk103.json',
  meiligao: 'meiligao.json',
  navtelecom: 'navis.json',
  watch: 'watch.json',
  castel: 'castel.json',
  atrack: 'atrack.json',
  eelink: 'eelink.json',
  egts: 'egts.json',
  wialon_retranslator: 'retranslator.json',
};

export interface CorpusFrame {
  readonly bytes: Buffer;
  readonly transport: Transport;
  readonly group: string;
}

/** Device → server frames of a protocol's corpus (decode entries, in replay order), or [] when absent. */
export function corpusFrames(protocol: string): CorpusFrame[] {
  const file = CORPUS_FILES[protocol as ProtocolName];
  const path = join(CORPUS_DIR, file ?? '');
  if (!file || !existsSync(path)) return [];
  const entries = JSON.parse(readFileSync(path, 'utf8')) as {
    kind: string;
    transport: Transport;
    encoding: string;
    frame: string;
    http?: { method: string; path: string; headers?: Record<string, string>; body?: string };
    source: string;
    test: string;
    seq: number;
  }[];
  return entries
    .filter((e) => e.kind === 'decode')
    .sort((a, b) => `${a.source}#${a.test}`.localeCompare(`${b.source}#${b.test}`) || a.seq - b.seq)
    .map((e) => ({
      group: `${e.source}#${e.test}`,
      transport: e.transport,
      bytes:
        e.transport === 'http'
          ? Buffer.from(
              JSON.stringify({ method: e.http?.method ?? 'GET', path: e.http?.path ?? e.frame, headers: e.http?.headers ?? {}, body: e.http?.body ?? '' }),
            )
          : e.encoding === 'hex'
            ? Buffer.from(e.frame, 'hex')
            : Buffer.from(e.frame, 'utf8'),
    }));
}
