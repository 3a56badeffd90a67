import type { ProtocolCodec } from '../common/types.js';
import { PROTOCOL_IDS } from '../common/types.js';
import { decode } from './decoder.js';
import { simulator } from './device.js';
import { DEVICE_TYPES } from './device-types.js';
import { correlate, encodeCommand } from './encoder.js';
import { frame } from './framer.js';
import { inspect } from './inspector.js';

export const meiligao: ProtocolCodec = {
  id: PROTOCOL_IDS.meiligao,
  name: 'meiligao',
  transports: ['tcp', 'udp'],
  idleTimeoutS: 600, // heartbeat interval set with 0x5199 (minutes); trackers report every few minutes when parked
  frame,
  inspect,
  decode,
  encodeCommand,
  correlate,
  deviceTypes: DEVICE_TYPES,
  simulator,
};
