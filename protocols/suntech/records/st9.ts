import type { DecodeContext, Decoded, Message } from '../../common/types.js';
import { St9Type } from '../constants.js';
import type { TextPacket } from '../packet.js';
import { P } from '../params.js';
import { keepRest, putNum, setPosition, setTime } from './common.js';

/**
 * ST910/ST940 personal trackers: `ST910;<Location|Emergency|Alert>;DEV_ID;[SW_VER];DATE;TIME;
 * [CELL];LAT;LON;SPD;CRS;FIX;[DIST];…`. Two firmware generations exist (Traccar's `protocolType`
 * 0 and 1); they tell themselves apart by their fields: an Alert of type 1 has no SW_VER (the date
 * follows the id), and type 1 sends a hex CELL before the latitude and the odometer after FIX.
 * Emergency and Alert reports raise a general alarm.
 */
export function decodeSt9(p: TextPacket, ctx: DecodeContext, out: Decoded): void {
  const v = p.fields;
  const m: Message = { [P.report]: p.type };
  let i = 3;
  if (!/^\d{8}$/.test(v[i] ?? '')) m[P.firmware] = v[i++];
  setTime(m, v[i], v[i + 1], ctx);
  i += 2;
  const withCell = /^[0-9A-Fa-f]+$/.test(v[i] ?? ''); // a latitude has a sign and a decimal point
  if (withCell) m[P.cell] = v[i++];
  setPosition(m, v[i], v[i + 1]);
  putNum(m, P.speed, v[i + 2]);
  putNum(m, P.course, v[i + 3]);
  m[P.valid] = v[i + 4] === '1';
  i += 5;
  if (withCell) putNum(m, P.mileage, v[i++], 1000);
  if (p.type === St9Type.Emergency || p.type === St9Type.Alert) {
    m[P.alarm] = 'general';
    m[P.alarmTrigger] = true;
  }
  keepRest(m, v, i);
  out.messages.push(m);
}
