import type { ProtocolCodec } from '../common/types.js';
import { decode } from './decoder.js';
import { simulator } from './device.js';
import { DEVICE_TYPES } from './device-types.js';
import { correlate, encodeCommand } from './encoder.js';
import { frame } from './framer.js';
import { inspect } from './inspector.js';

/** Suntech ST300/ST600/ST900/ST4300: legacy and universal text, zip and universal binary reports over TCP or UDP. */
export const suntech: ProtocolCodec = {
  id: 12,
  name: 'suntech',
  transports: ['tcp', 'udp'],
  idleTimeoutS: 1860, // parking status report (RPT T1) up to 1800 s in the field; keep-alive T4 is shorter when set
  frame,
  inspect,
  decode,
  encodeCommand,
  correlate,
  deviceTypes: DEVICE_TYPES,
  simulator,
};
