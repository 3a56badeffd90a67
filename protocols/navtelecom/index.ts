import type { ProtocolCodec } from '../common/types.js';
import { PROTOCOL_IDS } from '../common/types.js';
import { decode } from './decoder.js';
import { simulator } from './device.js';
import { DEVICE_TYPES } from './device-types.js';
import { correlate, encodeCommand } from './encoder.js';
import { frame } from './framer.js';
import { inspect } from './inspector.js';

export const navtelecom: ProtocolCodec = {
  id: PROTOCOL_IDS.navtelecom,
  name: 'navtelecom',
  transports: ['tcp'],
  idleTimeoutS: 600, // a parked terminal sends a 7F keep-alive (FLEX) or an empty NTCB frame every few minutes
  frame,
  inspect,
  decode,
  encodeCommand,
  correlate,
  deviceTypes: DEVICE_TYPES,
  simulator,
};
