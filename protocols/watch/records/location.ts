import { CodecError, CodecErrorCode } from '../../common/errors.js';
import { unknownParamName } from '../../common/params.js';
import type { DecodeContext, Decoded, Message } from '../../common/types.js';
import { NETWORK_SUFFIXES } from '../constants.js';
import { args, type Packet } from '../packet.js';
import { F, GENERAL_ALARM, LOCATION_FIELDS, numberOf, P, STATUS_ALARMS, STATUS_FLAGS } from '../params.js';
import { coordinate, dateTime, keepRest } from './fields.js';
import { readNetwork } from './network.js';

/**
 * SeTracker Part I §2 UD (real time), §3 UD2 (blind-spot re-upload), §4 AL (alarm, answered AL),
 * and their kin (UD3, WT, AL_LTE, UD_WCDMA, ALCUSTOMER1, Part II §29 PP): the Appendix I location
 * data `ddmmyy,hhmmss,A|V,lat,N|S,lon,E|W,km/h,course,alt,sats,gsm %,battery %,steps,turnovers,
 * status hex`, then base stations, Wi-Fi access points and (4G units) the accuracy in metres.
 */
export function decodeLocation(p: Packet, ctx: DecodeContext, out: Decoded): void {
  const all = args(p);
  const shift = p.key === 'pp' ? 2 : 1; // PP puts the watch's time before the location data
  const f = all.slice(shift - 1);
  if (f.length <= F.status) {
    out.errors.push(new CodecError(CodecErrorCode.Malformed, `${p.type} has ${f.length} location fields, needs at least ${F.status + 1}`, p.contentAt));
    return;
  }
  const m: Message = { [P.type]: p.type };
  if (shift === 2) m[P.friendTime] = all[0];
  const ts = dateTime(f[F.date], f[F.time]) ?? ctx.receivedAt;
  if (ts !== undefined) m.timestamp = ts;
  const lat = coordinate(f[F.lat], f[F.ns], 'NS', 90);
  const lon = coordinate(f[F.lon], f[F.ew], 'EW', 180);
  if (lat !== undefined && lon !== undefined) Object.assign(m, { [P.lat]: lat, [P.lon]: lon, [P.valid]: f[F.valid].trim() === 'A' });
  else keepRest(m, f.slice(0, F.lon + 2), F.valid, shift);
  for (const [index, name] of LOCATION_FIELDS) {
    const value = numberOf(f[index]);
    if (value !== undefined) m[name] = value;
  }
  applyStatus(m, f[F.status], p.key === 'al', shift);
  const suffix = NETWORK_SUFFIXES[p.type.split('_')[1]?.toUpperCase() ?? ''];
  if (suffix) m[P.network] = suffix;
  if (p.key === 'ud2') m[P.buffered] = true;
  const rest = suffix === 'CDMA' ? readCdma(m, f) : readNetwork(m, f, F.network);
  keepRest(m, f, rest, shift);
  out.messages.push(m);
}

/** Appendix I device status: the word, its state bits (low 16) and the first alarm bit (high 16); an AL frame without one is a general alarm. */
function applyStatus(m: Message, raw: string, alarmFrame: boolean, shift: number): void {
  const v = raw.trim();
  if (!/^[0-9A-Fa-f]{1,8}$/.test(v)) {
    if (v !== '') m[unknownParamName(F.status + shift)] = v;
    return;
  }
  const status = parseInt(v, 16);
  m[P.status] = status;
  for (const [bit, name, whenSet] of STATUS_FLAGS) m[name] = ((status >>> bit) & 1) === 1 ? whenSet : !whenSet;
  const type = STATUS_ALARMS.find(([bit]) => ((status >>> bit) & 1) === 1)?.[1] ?? (alarmFrame ? GENERAL_ALARM : undefined);
  if (type) Object.assign(m, { [P.trigger]: true, [P.alarm]: type });
}

/** UD_CDMA: `sid,nid,bid,signal` after the status word instead of GSM cells. */
function readCdma(m: Message, f: readonly string[]): number {
  const names = ['sid', 'nid', 'bid', 'signal'];
  let i = F.network;
  for (const name of names) {
    const value = numberOf(f[i]);
    if (value === undefined) break;
    m[`${P.cdma}.${name}`] = value;
    i++;
  }
  return i;
}
