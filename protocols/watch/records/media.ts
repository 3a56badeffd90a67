import { CodecError, CodecErrorCode } from '../../common/errors.js';
import { unknownParamName } from '../../common/params.js';
import type { DecodeContext, Decoded, Message } from '../../common/types.js';
import { binaryArgs, type Packet, unescapeBinary } from '../packet.js';
import { numberOf, P } from '../params.js';

/**
 * Binary content, escaped 7D 01..05 (SeTracker Part II §25): voice from the watch `TK,<AMR>`
 * (§25 (2), answered `TK,1`), voice in parts `JXTK,<?>,<file>,<part>,<parts>,<AMR>` (ZJ units,
 * answered `JXTKR,1`), and pictures `img,<type>,<yyMMddHHmmss>,<JPEG>` (Part IV). Each frame is
 * one message with its bytes as hex: the codec keeps no state to join parts.
 */
const LAYOUTS: Readonly<Record<string, readonly (string | undefined)[]>> = {
  tk: [],
  jxtk: [undefined, P.audioFile, P.audioPart, P.audioParts],
  img: [P.photoType, P.photoTime],
};

export function decodeMedia(p: Packet, ctx: DecodeContext, out: Decoded): void {
  const names = LAYOUTS[p.key] ?? [];
  const parts = binaryArgs(p, names.length);
  if (!parts) {
    out.errors.push(new CodecError(CodecErrorCode.Malformed, `${p.type} needs ${names.length} fields before its data`, p.contentAt));
    return;
  }
  const data = unescapeBinary(parts.data);
  if (!data) {
    out.errors.push(new CodecError(CodecErrorCode.Malformed, `${p.type} data has an escape other than 7D 01..05`, p.contentAt));
    return;
  }
  const m: Message = { [P.type]: p.type };
  if (ctx.receivedAt !== undefined) m.timestamp = ctx.receivedAt;
  for (const [i, name] of names.entries()) {
    const raw = parts.fields[i].trim();
    if (raw === '') continue;
    m[name ?? unknownParamName(i + 1)] = name === P.photoTime || name === P.audioFile ? raw : (numberOf(raw) ?? raw);
  }
  m[p.key === 'img' ? P.photoData : P.audioData] = data.toString('hex');
  out.messages.push(m);
}
