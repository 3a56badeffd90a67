import type { Reader } from '../../common/reader.js';
import type { Message } from '../../common/types.js';

/** Driver DLT card (command 36): sub-command | time u32 | registration u8 | card u8 | track id u8 | 3 × (len u16 + ASCII). */
export function decodeDriverDlt(r: Reader): Message {
  const subcommand = r.u8();
  const m: Message = { timestamp: r.u32() };
  m['ruptela.dlt.subcommand'] = subcommand;
  m['ruptela.dlt.registration.status'] = r.u8();
  m['ruptela.dlt.card.status'] = r.u8();
  m['ruptela.dlt.track.id'] = r.u8();
  for (let track = 1; track <= 3; track++) m[`ruptela.dlt.track.${track}`] = r.ascii(r.u16());
  if (r.remaining > 0) m['ruptela.dlt.extra'] = r.bytes(r.remaining).toString('hex');
  return m;
}
