import type { Reader } from '../../common/reader.js';
import type { Message } from '../../common/types.js';

/**
 * Identification (command 15), layout inferred from device captures: 15 ASCII of model + firmware
 * (`Es04` + `00.03.68.04`), IMSI u64, GSM operator u32 (MCC+MNC), then settings kept as hex.
 */
export function decodeIdentification(r: Reader): Message {
  const m: Message = {};
  const text = r.ascii(Math.min(15, r.remaining)).replace(/\0/g, '');
  const version = /^(.*?)(\d{2}\.\d{2}\.\d{2}\.\d{2})$/.exec(text);
  if (version && version[1] !== '') m['device.model'] = version[1];
  m['firmware.version'] = version ? version[2] : text;
  if (r.remaining >= 12) {
    m['gsm.sim.imsi'] = r.buf.readBigUInt64BE(r.pos).toString();
    r.skip(8);
    m['gsm.operator.code'] = r.u32();
  }
  if (r.remaining > 0) m['ruptela.identification.extra'] = r.bytes(r.remaining).toString('hex');
  return m;
}
