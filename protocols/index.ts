/**
 * The codecs as a library: `import { codec, protocols } from 'telematics-hub/protocols'`.
 */

import { atrack } from './atrack/index.js';
import { castel } from './castel/index.js';
import { ConnectionCodec } from './common/connection.js';
import type { CodecOptions, ProtocolCodec, ProtocolName, Transport } from './common/types.js';
import { DEFAULT_CODEC_OPTIONS } from './common/types.js';
import { eelink } from './eelink/index.js';
import { egts } from './egts/index.js';
import { galileosky } from './galileosky/index.js';
import { gps103 } from './gps103/index.js';
import { gt06 } from './gt06/index.js';
import { h02 } from './h02/index.js';
import { jt808 } from './jt808/index.js';
import { meiligao } from './meiligao/index.js';
import { meitrack } from './meitrack/index.js';
import { navtelecom } from './navtelecom/index.js';
import { osmand } from './osmand/index.js';
import { queclink } from './queclink/index.js';
import { ruptela } from './ruptela/index.js';
import { suntech } from './suntech/index.js';
import { teltonika } from './teltonika/index.js';
import { tk103 } from './tk103/index.js';
import { watch } from './watch/index.js';
import { wialonIps } from './wialon_ips/index.js';
import { wialonRetranslator } from './wialon_retranslator/index.js';

export { ConnectionCodec, type ConnectionOutput } from './common/connection.js';
export { CodecError, CodecErrorCode } from './common/errors.js';
export * from './common/types.js';

const REGISTRY: readonly ProtocolCodec[] = [
  teltonika,
  gt06,
  h02,
  meitrack,
  osmand,
  queclink,
  ruptela,
  wialonIps,
  galileosky,
  jt808,
  gps103,
  suntech,
  tk103,
  meiligao,
  navtelecom,
  watch,
  castel,
  atrack,
  eelink,
  egts,
  wialonRetranslator,
];

/** Names of the protocols this build speaks. */
export const protocols: readonly ProtocolName[] = REGISTRY.map((p) => p.name);

/** All protocol codecs. */
export function allProtocols(): readonly ProtocolCodec[] {
  return REGISTRY;
}

export function getProtocol(nameOrId: string | number): ProtocolCodec | undefined {
  return REGISTRY.find((p) => p.name === nameOrId || p.id === nameOrId);
}

/**
 * A decoder for one connection of a protocol: `decode(bytes)` takes bytes as received and returns
 * `{messages, replies, errors}`.
 */
export function codec(name: ProtocolName | string, options: Partial<CodecOptions> & { transport?: Transport } = {}): ConnectionCodec {
  const protocol = getProtocol(name);
  if (!protocol) throw new Error(`unknown protocol "${name}"; known: ${protocols.join(', ')}`);
  const { transport, ...rest } = options;
  return new ConnectionCodec(protocol, { ...DEFAULT_CODEC_OPTIONS, ...rest }, transport);
}
