import { convertParam, unknownParamName } from '../../common/params.js';
import type { Reader } from '../../common/reader.js';
import type { Message } from '../../common/types.js';
import { GH3000_TABLE } from '../params.js';

/** 30-bit time since 2007-01-01. */
const GH3000_EPOCH = 1167609600;

/** GH3000 (codec 7) record: 30-bit time since 2007, masks select the GPS fields and IO groups present. */
export function decodeGh3000Record(r: Reader): Message {
  const m: Message = { timestamp: (r.u32() & 0x3fffffff) + GH3000_EPOCH };
  const globalMask = r.u8();
  if (globalMask & 0x01) readGps(r, m);
  for (const [bit, size] of [
    [0x02, 1],
    [0x04, 2],
    [0x08, 4],
  ] as const) {
    if (!(globalMask & bit)) continue;
    const count = r.u8();
    for (let j = 0; j < count; j++) {
      const id = r.u8();
      const value = r.uint(size);
      const def = GH3000_TABLE[id];
      m[def ? def.name : unknownParamName(id)] = def ? convertParam(def, value, size) : value;
    }
  }
  return m;
}

/** The GPS element: a mask, then the fields it selects. */
function readGps(r: Reader, m: Message): void {
  const mask = r.u8();
  if (mask & 0x01) {
    const lat = r.buf.readFloatBE(r.pos);
    const lon = r.buf.readFloatBE(r.pos + 4);
    r.skip(8);
    m['position.latitude'] = Math.round(lat * 1e7) / 1e7;
    m['position.longitude'] = Math.round(lon * 1e7) / 1e7;
    m['position.valid'] = true;
  }
  if (mask & 0x02) m['position.altitude'] = r.u16();
  if (mask & 0x04) m['position.direction'] = Math.round((r.u8() * 360) / 256);
  if (mask & 0x08) m['position.speed'] = r.u8();
  if (mask & 0x10) m['position.satellites'] = r.u8();
  if (mask & 0x20) {
    m['gsm.lac'] = r.u16();
    m['gsm.cellid'] = r.u16();
  }
  if (mask & 0x40) m['gsm.signal.level'] = r.u8();
  if (mask & 0x80) m['gsm.operator.code'] = r.u32();
}
