import { CodecError, CodecErrorCode } from '../common/errors.js';
import { isValidIdent } from '../common/ident.js';
import { FrameKind, Keyword, LOGIN_MARKER, REPORT_MARKER, ReportKind, SHORT_LOGIN_LENGTH, TERMINATORS } from './constants.js';

/**
 * The envelope of one GPS103 frame, read by the inspector and the decoder alike: which kind of
 * sentence it is (§1 login, §2 heartbeat, §4 report), the IMEI, and for reports the fields split
 * at commas and the layout the keyword or the shape selects. No checksum: the protocol has none.
 */
export interface Packet {
  readonly kind: FrameKind;
  readonly ident: string;
  /** The report (a heartbeat may carry one glued after the IMEI: `<IMEI>imei:<IMEI>,...`). */
  readonly report?: Report;
}

export interface Report {
  readonly kind: ReportKind;
  /** Fields split at commas; `fields[0]` is `imei:<IMEI>`, `fields[1]` the keyword. */
  readonly fields: readonly string[];
  readonly keyword: string;
  /** Byte offset of `imei:` in the frame (error offsets). */
  readonly at: number;
}

const DIGITS = /^\d+/;
const IMEI_IN_TEXT = /imei:(\d+)/;

/** Reads the envelope of a frame (with or without its terminator); a CodecError when it is none of the three sentences. */
export function readPacket(frame: Buffer): Packet | CodecError {
  const text = sentence(frame);
  if (text.includes(REPORT_MARKER) && text.length <= SHORT_LOGIN_LENGTH) return login(text);
  if (text.startsWith(LOGIN_MARKER)) return login(text);
  const heartbeat = DIGITS.exec(text);
  if (heartbeat) {
    const ident = heartbeat[0];
    if (!isValidIdent(ident)) return malformed('heartbeat IMEI is too long', 0);
    const at = text.indexOf(REPORT_MARKER, ident.length);
    if (at < 0) return ident.length === text.length ? { kind: FrameKind.Heartbeat, ident } : malformed('heartbeat is not <IMEI>;', ident.length);
    const report = readReport(text, at);
    return report instanceof CodecError ? report : { kind: FrameKind.Heartbeat, ident, report: report.report };
  }
  if (text.startsWith(REPORT_MARKER)) return readReport(text, 0);
  return malformed('not a GPS103 sentence (##,imei:, <IMEI> or imei:)', 0);
}

/** The text of a frame without its terminator and line end. */
function sentence(frame: Buffer): string {
  let end = frame.length;
  while (end > 0 && (frame[end - 1] === 0x0d || frame[end - 1] === 0x0a)) end--;
  if (end > 0 && TERMINATORS.includes(frame[end - 1])) end--;
  return frame.toString('latin1', 0, end);
}

/** §1 `##,imei:<IMEI>,A` (and any short frame with `imei:`, as Traccar answers it). */
function login(text: string): Packet | CodecError {
  const m = IMEI_IN_TEXT.exec(text);
  if (!m || !isValidIdent(m[1])) return malformed('login without an IMEI', 0);
  return { kind: FrameKind.Login, ident: m[1] };
}

/** §4.1 `imei:<IMEI>,<keyword>,...` from offset `at`. */
function readReport(text: string, at: number): { kind: FrameKind; ident: string; report: Report } | CodecError {
  const fields = text.slice(at).split(',');
  const ident = fields[0].slice(REPORT_MARKER.length);
  if (!/^\d+$/.test(ident) || !isValidIdent(ident)) return malformed('report IMEI is not digits', at + REPORT_MARKER.length);
  const keyword = fields[1] ?? '';
  return { kind: FrameKind.Report, ident, report: { kind: reportKind(fields, keyword), fields, keyword, at } };
}

function reportKind(fields: readonly string[], keyword: string): ReportKind {
  if (keyword === Keyword.PhotoPart) return ReportKind.Photo;
  if (keyword === Keyword.Obd) return ReportKind.Obd;
  return isAlternative(fields) ? ReportKind.Alternative : ReportKind.Location;
}

/** The decimal-degree variant: `hhmmss,ddmmyy` at fields 5-6 and signed decimal degrees at 9-10. */
function isAlternative(f: readonly string[]): boolean {
  return (
    f.length >= 11 && f[4] !== 'F' && f[4] !== 'L' && /^\d{6}$/.test(f[5]) && /^\d{6}$/.test(f[6]) && /^-?\d+\.\d+$/.test(f[9]) && /^-?\d+\.\d+$/.test(f[10])
  );
}

function malformed(reason: string, offset: number): CodecError {
  return new CodecError(CodecErrorCode.Malformed, reason, offset);
}
