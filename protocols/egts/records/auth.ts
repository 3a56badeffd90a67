import { toCodecError } from '../../common/errors.js';
import { Reader } from '../../common/reader.js';
import type { Decoded, Message } from '../../common/types.js';
import { AuthSr } from '../constants.js';
import { readTermIdentity, type ServiceRecord, type Subrecord, text, walkSubrecords } from '../packet.js';
import { moduleParam, P, unknownSubrecord } from '../params.js';

/**
 * EGTS_AUTH_SERVICE records (GOST 33465-2015 §6.7.2; subrecord numbers of Order No. 285): what a
 * unit says of itself when it authenticates. The IMEI is the ident (inspector.ts), not a
 * parameter; a password (AUTH_INFO UPSW) is never kept. One message per record.
 */
export function decodeAuth(frame: Buffer, rec: ServiceRecord, base: Message, out: Decoded): Message[] {
  const { subrecords, error } = walkSubrecords(frame, rec);
  const m: Message = { ...base };
  for (const sub of subrecords) {
    try {
      readSubrecord(frame, sub, rec.sst, m);
    } catch (err) {
      out.errors.push(toCodecError(err));
    }
  }
  if (error) out.errors.push(error);
  return Object.keys(m).length > Object.keys(base).length ? [m] : [];
}

function readSubrecord(frame: Buffer, sub: Subrecord, service: number, m: Message): void {
  const r = new Reader(frame, sub.start, sub.end);
  switch (sub.srt) {
    case AuthSr.TermIdentity:
      termIdentity(frame, sub, m);
      return;
    case AuthSr.ModuleData:
      moduleData(r, m);
      return;
    case AuthSr.VehicleData: // §6.7.2.4: VIN[17] | VHT u32 | VPST u32
      m[P.vin] = text(r.bytes(17));
      m[P.vehicleType] = r.u32le();
      m[P.propulsion] = r.u32le();
      return;
    case AuthSr.DispatcherIdentity: // DT | DID u32 | DSCR
      m[P.dispatcherType] = r.u8();
      m[P.dispatcherId] = r.u32le();
      if (r.remaining > 0) m[P.dispatcherDescription] = text(r.bytes(r.remaining));
      return;
    case AuthSr.AuthInfo: // UNM | 00 | UPSW | 00 [| SS | 00]
      m[P.user] = text(r.bytes(r.remaining));
      return;
    case AuthSr.RecordResponse:
      return; // a unit's confirmation of a hub record: nothing to keep
    default:
      m[unknownSubrecord(service, sub.srt)] = frame.toString('hex', sub.start, sub.end);
  }
}

/** §6.7.2.2 EGTS_SR_TERM_IDENTITY: the fields besides the ident. */
function termIdentity(frame: Buffer, sub: Subrecord, m: Message): void {
  const t = readTermIdentity(frame, sub);
  m[P.tid] = t.tid;
  if (t.hdid !== undefined) m[P.hdid] = t.hdid;
  if (t.imsi) m[P.imsi] = t.imsi;
  if (t.language) m[P.language] = t.language;
  if (t.networkId !== undefined) m[P.networkId] = t.networkId;
  if (t.bufferSize !== undefined) m[P.bufferSize] = t.bufferSize;
  if (t.msisdn && /[1-9]/.test(t.msisdn)) m[P.msisdn] = t.msisdn;
}

/** §6.7.2.3 EGTS_SR_MODULE_DATA: MT | VID u32 | FWV u16 | SWV u16 | MD | ST | SRN | 00 | DSCR | 00. */
function moduleData(r: Reader, m: Message): void {
  const type = r.u8();
  m[moduleParam(type, 'vendor')] = r.u32le();
  m[moduleParam(type, 'firmware')] = version(r.u16le());
  m[moduleParam(type, 'software')] = version(r.u16le());
  m[moduleParam(type, 'modification')] = r.u8();
  m[moduleParam(type, 'state')] = r.u8();
  const rest = r.bytes(r.remaining);
  const nul = rest.indexOf(0);
  const serial = text(rest.subarray(0, nul < 0 ? rest.length : nul));
  const description = nul < 0 ? '' : text(rest.subarray(nul + 1));
  if (serial) m[moduleParam(type, 'serial')] = serial;
  if (description) m[moduleParam(type, 'description')] = description;
}

/** High byte: version, low byte: subversion. */
function version(v: number): string {
  return `${v >> 8}.${v & 0xff}`;
}
