import type { ProtocolCodec } from '../common/types.js';
import { PROTOCOL_IDS } from '../common/types.js';
import { decode } from './decoder.js';
import { simulator } from './device.js';
import { DEVICE_TYPES } from './device-types.js';
import { correlate, encodeCommand } from './encoder.js';
import { frame } from './framer.js';
import { inspect } from './inspector.js';

/** ATrack AK/AX/AL/AT/AY: binary and ASCII `@P` reports with custom fields, keep-alive, AT$ commands. */
export const atrack: ProtocolCodec = {
  id: PROTOCOL_IDS.atrack,
  name: 'atrack',
  transports: ['tcp', 'udp'],
  idleTimeoutS: 1260, // the keep-alive (FE 02) period is a unit setting, not fixed by the protocol: allows 20 min of silence plus a margin
  frame,
  inspect,
  decode,
  encodeCommand,
  correlate,
  deviceTypes: DEVICE_TYPES,
  simulator,
};
