import type { ProtocolCodec } from '../common/types.js';
import { decode } from './decoder.js';
import { simulator } from './device.js';
import { DEVICE_TYPES } from './device-types.js';
import { correlate, encodeCommand } from './encoder.js';
import { frame } from './framer.js';
import { inspect } from './inspector.js';

/** Eelink (TK116, GPT06, TK-OBD and the Device Protocol 2.0 units): `67 67` packages, `EL` UDP envelopes. */
export const eelink: ProtocolCodec = {
  id: 19,
  name: 'eelink',
  transports: ['tcp', 'udp'], // §4.1 TCP, §4.2 UDP
  idleTimeoutS: 600, // heartbeat 0x03 at the HBT interval (§6.3.4)
  frame,
  inspect,
  decode,
  encodeCommand,
  correlate,
  deviceTypes: DEVICE_TYPES,
  simulator,
};
