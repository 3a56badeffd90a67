import { CodecError } from '../common/errors.js';
import type { CodecOptions, Inspection, SessionState } from '../common/types.js';
import { encodeAck } from './encoder.js';
import { identError, readHeader } from './packet.js';

/**
 * Identity and acknowledgement of one Wialon Retranslator packet. There is no login, no password
 * and no checksum: every packet names its unit (many units share one connection, so the ident
 * changes from packet to packet) and is stored and answered 0x11 (spec "Outgoing data"). A packet
 * whose header cannot be read is refused without an ack. A readable packet whose unit id is no
 * valid ident is acked but not stored (the error is counted): the Wialon server resends an
 * unacknowledged packet before any other, so refusing it would stall every unit of the connection.
 */
export function inspect(frame: Buffer, _state: SessionState, _options: CodecOptions): Inspection {
  const header = readHeader(frame);
  if (header instanceof CodecError) return { store: false, error: header };
  const bad = identError(header);
  if (bad) return { store: false, reply: encodeAck(), error: bad };
  return { ident: header.ident, store: true, reply: encodeAck() };
}
