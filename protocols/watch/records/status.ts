import type { DecodeContext, Decoded, Message } from '../../common/types.js';
import { args, type Packet } from '../packet.js';
import { BODY_TEMPERATURE, CONFIG_KEYS, HEALTH_FIELDS, KEEPALIVE_FIELDS, numberOf, P, ZERO_IS_NONE } from '../params.js';
import { applyNumbers, keepRest } from './fields.js';

/**
 * Frames without a location: the LK keep-alive (SeTracker Part I §1), health measurements (Part
 * III §3-§4, Part VI §1), device information (Part I §5 CONFIG, CCID, INIT). They carry no time:
 * the receive time stands in.
 */

function base(p: Packet, ctx: DecodeContext): Message {
  const m: Message = { [P.type]: p.type };
  if (ctx.receivedAt !== undefined) m.timestamp = ctx.receivedAt;
  return m;
}

/** Part I §1 `LK[,<steps>,<turnovers>,<battery %>]`: a message only when it carries values. */
export function decodeKeepAlive(p: Packet, ctx: DecodeContext, out: Decoded): void {
  const f = args(p);
  if (f.length === 0) return;
  const m = base(p, ctx);
  applyNumbers(m, f, f.length === KEEPALIVE_FIELDS.length ? KEEPALIVE_FIELDS : [], 1);
  out.messages.push(m);
}

/**
 * Part III §3 `bphrt,<systolic>,<diastolic>,<heart rate>,<height>,<gender>,<age>,<weight>`, §4
 * `oxygen,<type>,<SpO2>`, Part VI §1 `btemp2,<mode>,<°C>` (0 and 1 mean "abnormal low/high"),
 * `heart|PULSE,<rate>`, `BLOOD,<systolic>,<diastolic>[,<rate>]`, `TEMP,<°C>`. A 0 measurement is "not measured".
 */
export function decodeHealth(p: Packet, ctx: DecodeContext, out: Decoded): void {
  const f = args(p);
  const names = HEALTH_FIELDS[p.key] ?? [];
  const m = base(p, ctx);
  const at = names.indexOf(BODY_TEMPERATURE);
  const temperature = at >= 0 ? numberOf(f[at]) : undefined;
  if (temperature === 0 || temperature === 1) {
    m[P.temperatureAbnormal] = temperature === 1 ? 'high' : 'low';
    applyNumbers(m, f.slice(0, at), names, 1, ZERO_IS_NONE);
    keepRest(m, f, at + 1, 1);
  } else applyNumbers(m, f, names, 1, ZERO_IS_NONE);
  out.messages.push(m);
}

/** Part I §5 `CONFIG,TY:G75,UL:600,...` (key:value pairs), `CCID,<ICCID>`, `INIT[,...]`. */
export function decodeInfo(p: Packet, ctx: DecodeContext, out: Decoded): void {
  const f = args(p);
  const m = base(p, ctx);
  if (p.key === 'ccid' && /^[0-9A-Fa-f]{10,22}$/.test(f[0]?.trim() ?? '')) {
    m[P.iccid] = f[0].trim();
    keepRest(m, f, 1, 1);
  } else if (p.key === 'config') {
    for (const [i, pair] of f.entries()) {
      const kv = /^\s*([A-Za-z0-9]+)\s*:(.*)$/.exec(pair);
      if (!kv) {
        keepRest(m, f.slice(0, i + 1), i, 1);
        continue;
      }
      const value = numberOf(kv[2]) ?? kv[2].trim();
      m[CONFIG_KEYS[kv[1].toUpperCase()] ?? `watch.config.${kv[1].toLowerCase()}`] = value;
    }
  } else keepRest(m, f, 0, 1);
  out.messages.push(m);
}
