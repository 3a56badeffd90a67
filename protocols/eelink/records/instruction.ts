import type { CommandReply, Message } from '../../common/types.js';
import { P } from '../params.js';
import type { Ctx } from './common.js';

/**
 * §6.4.6 `WHERE#` answer: `Lat:N31.83955,Lon:W82.61346,Course:0.00,Speed:0.00km/h,DateTime:2017-12-02 11:29:43`
 * (UTC). One pattern per field, each matched once (no backtracking across fields).
 */
const FIELDS = {
  lat: /Lat:([NS])(\d{1,3}(?:\.\d+)?)/,
  lon: /Lon:([EW])(\d{1,3}(?:\.\d+)?)/,
  course: /Course:(\d{1,3}(?:\.\d+)?)/,
  speed: /Speed:(\d{1,4}(?:\.\d+)?)/,
  time: /Date ?Time:(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)/,
} as const;

/** The position of a `WHERE#` answer, or undefined when the text is not one. */
function whereAnswer(text: string): Message | undefined {
  const lat = FIELDS.lat.exec(text);
  const lon = FIELDS.lon.exec(text);
  const course = FIELDS.course.exec(text);
  const speed = FIELDS.speed.exec(text);
  const t = FIELDS.time.exec(text);
  if (!lat || !lon || !course || !speed || !t || Number(lat[2]) > 90 || Number(lon[2]) > 180) return undefined;
  return {
    timestamp: Date.UTC(Number(t[1]), Number(t[2]) - 1, Number(t[3]), Number(t[4]), Number(t[5]), Number(t[6])) / 1000,
    [P.lat]: (lat[1] === 'S' ? -1 : 1) * Number(lat[2]),
    [P.lon]: (lon[1] === 'W' ? -1 : 1) * Number(lon[2]),
    [P.course]: Number(course[1]),
    [P.speed]: Number(speed[1]),
    [P.valid]: true,
  };
}

/** Answer texts that say a command failed or was carried out (other answers say neither). */
const FAILED = /\b(error|fail(ed)?|invalid|wrong|denied|not support(ed)?)\b/i;
const DONE = /\b(ok|success(ful)?|done)\b/i;

/**
 * §5.13 the device's answer to an instruction (same PID 0x80 and sequence): type u8, the server
 * flag u32 the instruction carried (the hub command id: the reply's correlation), the answer text.
 * A `WHERE#` answer also gives a position.
 */
export function instructionAnswer(c: Ctx): void {
  const r = c.r;
  r.u8(); // type
  const flag = r.u32();
  const text = r.bytes(r.remaining).toString('utf8');
  const executed = FAILED.test(text) ? false : DONE.test(text) ? true : undefined;
  const reply: CommandReply = {
    response: text,
    ...(executed !== undefined ? { executed } : {}),
    ...(flag !== 0 ? { correlation: String(flag) } : {}),
  };
  c.replies.push(reply);
  c.messages.push({ ...whereAnswer(text), [P.response]: text });
}
