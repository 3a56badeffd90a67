import { convertParam } from '../../common/params.js';
import type { CommandReply } from '../../common/types.js';
import { OBD_KEYS, P } from '../params.js';
import { type Ctx, cleanText, isPrintable, readPacketTime, toUnix } from './fields.js';

/** Text packets: command answers (0x15, 0x21), peripheral pass-through (0x9B), FM08ABC OBD text (0x8C). */

/** Records a device's answer to a command: a command reply and a `command.response` message. */
function reply(c: Ctx, text: string, flag: number): void {
  const r: CommandReply = { response: text, ...(flag !== 0 ? { correlation: String(flag) } : {}) };
  c.replies.push(r);
  c.m[P.response] = text;
  if (text.startsWith('<ICCID:')) c.m[P.iccid] = text.slice(7, 27);
}

/** 0x15: command length (server flag + text), server flag u32, ASCII text, [language u16]. */
export function string15(c: Ctx): void {
  const length = c.r.u8();
  const flag = c.r.u32();
  const size = length >= 4 && length - 4 <= c.r.remaining ? length - 4 : Math.max(0, c.r.remaining - 2);
  reply(c, cleanText(c.r.bytes(size)), flag);
  if (c.r.remaining === 2) c.m[P.language] = c.r.u16();
}

const LOCATION_TEXT =
  /Current position!\s*Lat:([NS])([\d.]+),Lon:([EW])([\d.]+),Course:([\d.]+),Speed:([\d.]+),DateTime:(\d{4})-(\d\d)-(\d\d) +(\d\d):(\d\d):(\d\d)/;

/** 0x21 (7979): server flag u32, encoding (1 ASCII, else UTF-16BE), text; `Current position!...` answers carry a fix. */
export function string21(c: Ctx): void {
  const flag = c.r.u32();
  const ascii = c.r.u8() === 1;
  const raw = c.r.bytes(c.r.remaining);
  const text = cleanText(ascii ? raw : utf16be(raw));
  reply(c, text, flag);
  const m = LOCATION_TEXT.exec(text);
  if (!m) return;
  c.m[P.lat] = Number(m[2]) * (m[1] === 'S' ? -1 : 1);
  c.m[P.lon] = Number(m[4]) * (m[3] === 'W' ? -1 : 1);
  c.m[P.course] = Number(m[5]);
  c.m[P.speed] = Number(m[6]);
  c.m[P.valid] = true;
  const t = toUnix(Number(m[7]), Number(m[8]), Number(m[9]), Number(m[10]), Number(m[11]), Number(m[12]), c.tz);
  if (t !== undefined) c.m[P.time] = t;
}

/** UTF-16BE text as latin1-safe bytes (characters outside latin1 become `?`). */
function utf16be(raw: Buffer): Buffer {
  const even = Buffer.from(raw.subarray(0, raw.length & ~1)).swap16();
  return Buffer.from(even.toString('utf16le').replace(/[\u0100-\uffff]/g, '?'), 'latin1');
}

/** 0x9B: external device type, then pass-through data (text when printable, else hex). */
export function serial9b(c: Ctx): void {
  c.m['gt06.serial.device'] = c.r.u8();
  const data = c.r.bytes(c.r.remaining);
  if (data.length > 0) c.m[P.serialData] = isPrintable(data) ? data.toString('latin1').trim() : data.toString('hex');
}

/** 0x8C (7979) FM08ABC OBD: date, ACC, `<id>=<hex>,...` text, then 12 bytes kept as hex. */
export function obd8c(c: Ctx): void {
  readPacketTime(c);
  c.m[P.ignition] = c.r.u8() > 0;
  const text = c.r.ascii(Math.max(0, c.r.remaining - 12));
  for (const pair of text.split(',')) {
    const [id, value] = pair.split('=');
    if (!id || value === undefined || !/^[0-9A-Za-z]+$/.test(id)) continue;
    const def = OBD_KEYS[id.slice(0, 2).toUpperCase()];
    if (def?.kind === 'ascii') c.m[def.name] = value;
    else if (def && /^[0-9A-Fa-f]+$/.test(value)) c.m[def.name] = convertParam(def, parseInt(value, 16), Math.ceil(value.length / 2));
    else c.m[`gt06.obd.${id.toLowerCase()}`] = value;
  }
  if (c.r.remaining > 0) c.m[P.raw] = c.r.bytes(c.r.remaining).toString('hex');
}
