import type { ProtocolCodec } from '../common/types.js';
import { decode } from './decoder.js';
import { simulator } from './device.js';
import { DEVICE_TYPES } from './device-types.js';
import { correlate, encodeCommand } from './encoder.js';
import { frame } from './framer.js';
import { inspect } from './inspector.js';

export const wialonRetranslator: ProtocolCodec = {
  id: 21,
  name: 'wialon_retranslator',
  transports: ['tcp'],
  // No keep-alive in the protocol: a Wialon server sends when its units report, and reopens the
  // connection when it has data again, so closing a quiet one costs a reconnect only.
  idleTimeoutS: 600,
  frame,
  inspect,
  decode,
  encodeCommand,
  correlate,
  deviceTypes: DEVICE_TYPES,
  simulator,
};
