import type { ProtocolCodec } from '../common/types.js';
import { decode } from './decoder.js';
import { simulator } from './device.js';
import { DEVICE_TYPES } from './device-types.js';
import { correlate, encodeCommand } from './encoder.js';
import { frame } from './framer.js';
import { inspect } from './inspector.js';

/** EGTS (GOST 33472-2015 / GOST 33465-2015, Order No. 285): ERA-GLONASS units, Russian fleet trackers and platform retranslation. */
export const egts: ProtocolCodec = {
  id: 20,
  name: 'egts',
  transports: ['tcp'], // §5: TCP/IP (SMS is the standby channel)
  idleTimeoutS: 600, // units report every 30-120 s in motion and hold the connection while parked
  frame,
  inspect,
  decode,
  encodeCommand,
  correlate,
  deviceTypes: DEVICE_TYPES,
  simulator,
};
