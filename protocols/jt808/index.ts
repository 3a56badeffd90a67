import type { ProtocolCodec } from '../common/types.js';
import { decode } from './decoder.js';
import { simulator } from './device.js';
import { DEVICE_TYPES } from './device-types.js';
import { correlate, encodeCommand } from './encoder.js';
import { frame } from './framer.js';
import { inspect } from './inspector.js';

/** JT/T 808 (2011, 2013 and 2019 editions; Huabao, Jimi, Jointech, Howen and countless OEM trackers and dashcams). */
export const jt808: ProtocolCodec = {
  id: 10,
  name: 'jt808',
  transports: ['tcp', 'udp'], // §4.1: TCP or UDP, the platform is the server
  idleTimeoutS: 600, // heartbeat 0x0002 every parameter 0x0001 seconds (vendors ship 30–300 s)
  frame,
  inspect,
  decode,
  encodeCommand,
  correlate,
  deviceTypes: DEVICE_TYPES,
  simulator,
};
