import { CodecError, CodecErrorCode } from '../../common/errors.js';
import type { CodecOptions, Decoded } from '../../common/types.js';
import { DEFAULT_SPEED_UNIT, SPEED_UNITS } from '../constants.js';
import type { Param } from '../packet.js';
import { applyField, finishMessage, newBuilder, queryFieldDef } from '../params.js';

/**
 * Query-string / form form: `GET|POST /?id=&lat=&lon=&timestamp=&speed=&bearing=&altitude=&accuracy=
 * &hdop=&batt=&charge=...` (OsmAnd online tracking, Traccar Client). One request, one message.
 */
export function decodeQuery(params: readonly Param[], options: CodecOptions | undefined, out: Decoded): void {
  const b = newBuilder(speedFactor(options, out.errors));
  for (const [key, value] of params) {
    const def = queryFieldDef(key);
    if (def) applyField(b, key, def, value);
  }
  const msg = finishMessage(b);
  out.errors.push(...b.errors);
  if (Object.keys(msg).length > 0) out.messages.push(msg);
}

/** km/h per unit of `speed`: the channel setting `speed` (`kn` default, `kmh`, `ms`, `mph`). */
export function speedFactor(options: CodecOptions | undefined, errors: CodecError[]): number {
  const setting = options?.settings?.speed;
  const unit = String(setting ?? DEFAULT_SPEED_UNIT)
    .toLowerCase()
    .replace(/[^a-z]/g, '');
  if (Object.hasOwn(SPEED_UNITS, unit)) return SPEED_UNITS[unit as keyof typeof SPEED_UNITS];
  errors.push(new CodecError(CodecErrorCode.Malformed, `setting speed="${String(setting)}" is not kn, kmh, ms or mph; knots assumed`));
  return SPEED_UNITS.kn;
}
