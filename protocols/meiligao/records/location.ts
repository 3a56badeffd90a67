import { toCodecError } from '../../common/errors.js';
import { Reader } from '../../common/reader.js';
import type { Decoded, Message } from '../../common/types.js';
import { LOGGED_HEADER, RECORD_SEPARATOR, RFID_CARDS } from '../constants.js';
import type { Packet } from '../packet.js';
import { ALARMS, INPUT_ACTIVE_FIRST, INPUT_ALARMS, INPUT_INACTIVE_FIRST, Name } from '../params.js';
import { coordinate, decodeSentence, utcTime } from './sentence.js';

/**
 * The packets that carry GPRS data (GPRS protocol V2.1 Annex 1): 0x9955 position, 0x9999 alarm,
 * 0x9016 logged position, 0x9977 position with a picture, 0x6688 retransmitted positions, and the
 * 0x9966 RFID report with its short position text.
 */

const text = (frame: Buffer, start: number, end: number): string => frame.toString('latin1', start, end);

/** 0x9955 position report (also the answer to 0x4101 track on demand): the GPRS data alone. */
export function decodePosition(frame: Buffer, p: Packet, out: Decoded): void {
  out.messages.push(decodeSentence(text(frame, p.data, p.dataEnd)));
}

/** 0x9999 alarm: the alarm code (one byte), then the GPRS data. */
export function decodeAlarm(frame: Buffer, p: Packet, out: Decoded): void {
  const r = new Reader(frame, p.data, p.dataEnd);
  const m = alarmParams(r.u8());
  out.messages.push(decodeSentence(text(frame, r.pos, p.dataEnd), m));
}

/** 0x9016 logged position: tracker random, server random, remaining count (4 bytes), then the GPRS data. */
export function decodeLogged(frame: Buffer, p: Packet, out: Decoded): void {
  const r = new Reader(frame, p.data, p.dataEnd);
  const m: Message = { [Name.LogHeader]: r.bytes(LOGGED_HEADER).toString('hex') };
  out.messages.push(decodeSentence(text(frame, r.pos, p.dataEnd), m));
}

/** 0x9977 position with a picture: picture index, upload type, then the GPRS data (the picture came in 0x9988 packets). */
export function decodePositionImage(frame: Buffer, p: Packet, out: Decoded): void {
  const r = new Reader(frame, p.data, p.dataEnd);
  const m: Message = { [Name.PhotoIndex]: r.u8(), [Name.PhotoUpload]: r.u8() };
  out.messages.push(decodeSentence(text(frame, r.pos, p.dataEnd), m));
}

/**
 * 0x6688 retransmission: record count, then per record an alarm code and the GPRS data, records
 * separated by `\`. A record that does not read is reported and the others kept.
 */
export function decodeRetransmission(frame: Buffer, p: Packet, out: Decoded): void {
  const r = new Reader(frame, p.data, p.dataEnd);
  const count = r.u8();
  for (let i = 0; i < count && r.remaining > 0; i++) {
    const code = r.u8();
    const at = frame.indexOf(RECORD_SEPARATOR, r.pos);
    const end = at < 0 || at > p.dataEnd ? p.dataEnd : at;
    try {
      out.messages.push(decodeSentence(text(frame, r.pos, end), code === 0 ? {} : alarmParams(code)));
    } catch (err) {
      out.errors.push(toCodecError(err));
    }
    r.pos = Math.min(end + 1, p.dataEnd);
  }
}

/**
 * 0x9966 RFID report: 15 card numbers (u32; 0 = none), then `|hhmmss,ddmmyy,lat,N|S,lon,E|W`.
 * Each card is kept as `meiligao.card.<n>` (10 decimal digits); the first one is the driver.
 */
export function decodeRfid(frame: Buffer, p: Packet, out: Decoded): void {
  const r = new Reader(frame, p.data, p.dataEnd);
  const m: Message = {};
  for (let i = 1; i <= RFID_CARDS; i++) {
    const card = r.u32();
    if (card === 0) continue;
    const code = String(card).padStart(10, '0');
    m[`${Name.CardPrefix}.${i}`] = code;
    if (m[Name.Driver] === undefined) m[Name.Driver] = code;
  }
  const f = text(frame, r.pos, p.dataEnd).replace(/^\|/, '').split(',');
  m.timestamp = utcTime(f[0], f[1]);
  m['position.latitude'] = coordinate(f[2], f[3], 'NS', 90);
  m['position.longitude'] = coordinate(f[4], f[5], 'EW', 180);
  m['position.valid'] = true;
  out.messages.push(m);
}

/** An alarm code: `event.enum`, the alarm it raises, and the input it reports (0x01-0x05 active, 0x31-0x35 inactive). */
function alarmParams(code: number): Message {
  const m: Message = { 'event.enum': code };
  const type = ALARMS.get(code);
  if (type) {
    m['alarm.event.trigger'] = true;
    m['alarm.type'] = type;
  }
  if (code >= INPUT_ACTIVE_FIRST && code < INPUT_ACTIVE_FIRST + INPUT_ALARMS) m[`din.${code - INPUT_ACTIVE_FIRST + 1}`] = true;
  if (code >= INPUT_INACTIVE_FIRST && code < INPUT_INACTIVE_FIRST + INPUT_ALARMS) m[`din.${code - INPUT_INACTIVE_FIRST + 1}`] = false;
  return m;
}
