import type { ProtocolCodec } from '../common/types.js';
import { PROTOCOL_IDS } from '../common/types.js';
import { decode } from './decoder.js';
import { simulator } from './device.js';
import { DEVICE_TYPES } from './device-types.js';
import { correlate, encodeCommand } from './encoder.js';
import { frame } from './framer.js';
import { inspect } from './inspector.js';

export const gps103: ProtocolCodec = {
  id: PROTOCOL_IDS.gps103,
  name: 'gps103',
  transports: ['tcp', 'udp'],
  idleTimeoutS: 300, // heartbeat every 1 min by default (GPRS data protocol: "sent every 1 minutes"); a few missed ones allowed
  frame,
  inspect,
  decode,
  encodeCommand,
  correlate,
  deviceTypes: DEVICE_TYPES,
  simulator,
};
