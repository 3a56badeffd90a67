import type { DecodeContext, Decoded, Message } from '../../common/types.js';
import { DTC_NAME, fieldValue, OBD_DTC_FROM, OBD_FIELDS } from '../params.js';
import { applyRows, localTime, reportTime } from './fields.js';

/**
 * OBD sentence of the GPS306A (no position): `imei:<IMEI>,OBD,<yymmddhhmmss>,<odometer>,<fuel
 * instant>,<fuel average>,<hours>,<km/h>,<load %>,<coolant °C>,<throttle %>,<rpm>,<battery V>,
 * <DTC>,<DTC>,<DTC>,<DTC>`. The time has no UTC reference and is taken as UTC.
 */
export function decodeObd(fields: readonly string[], ctx: DecodeContext, out: Decoded): void {
  const m: Message = { 'report.type': fields[1] };
  const ts = reportTime(localTime(fields[2]), undefined, ctx.receivedAt);
  if (ts !== undefined) m.timestamp = ts;
  const rest = [...fields];
  const codes: string[] = [];
  for (let i = OBD_DTC_FROM; i < rest.length; i++) {
    const code = fieldValue('dtc', rest[i]);
    if (typeof code !== 'string') continue;
    codes.push(code);
    rest[i] = '';
  }
  applyRows(m, rest, OBD_FIELDS, 3);
  if (codes.length > 0) m[DTC_NAME] = codes.join(' ');
  out.messages.push(m);
}
