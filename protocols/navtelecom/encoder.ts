import { CodecError, CodecErrorCode } from '../common/errors.js';
import { fromHex } from '../common/reader.js';
import type { CommandRequest, SessionState } from '../common/types.js';
import { DEFAULT_DEVICE_ID, DEFAULT_SERVER_ID, FLEX_PROTOCOL, NTCB_HEADER_SIZE, NTCB_PREAMBLE, NtcbHeader, NtcbMessage, Start, Var } from './constants.js';
import { commandKeyword, type FlexNegotiation, flexCrc, type NtcbPacket, xor } from './packet.js';

/** Largest NTCB data field (the length is a u16). */
const MAX_NTCB_DATA = 0xffff;

/**
 * An NTCB frame (§1.1): `@NTC` | receiver u32 | sender u32 | length u16 | CSd (XOR of the data) |
 * CSp (XOR of the 15 header bytes before it) | data, little endian.
 */
export function ntcbFrame(receiver: number, sender: number, data: Buffer): Buffer {
  const b = Buffer.alloc(NTCB_HEADER_SIZE + data.length);
  NTCB_PREAMBLE.copy(b, 0);
  b.writeUInt32LE(receiver >>> 0, NtcbHeader.Receiver);
  b.writeUInt32LE(sender >>> 0, NtcbHeader.Sender);
  b.writeUInt16LE(data.length, NtcbHeader.Length);
  b[NtcbHeader.DataXor] = xor(data);
  b[NtcbHeader.HeaderXor] = xor(b, 0, NtcbHeader.HeaderXor);
  data.copy(b, NTCB_HEADER_SIZE);
  return b;
}

/** An answer to a terminal's NTCB frame: receiver and sender swapped (§1.1). */
function answer(to: NtcbPacket, text: string, tail: Buffer = Buffer.alloc(0)): Buffer {
  return ntcbFrame(to.sender, to.receiver, Buffer.concat([Buffer.from(text, 'latin1'), tail]));
}

/** §1.2.1 `*<S`: the server accepts the identification. */
export function encodeIdentAck(to: NtcbPacket): Buffer {
  return answer(to, '*<S');
}

/** §1.2.1 `*<FLEX` | `B0` | protocol version | struct version: the versions the server works with (those asked). */
export function encodeNegotiationAck(to: NtcbPacket, n: FlexNegotiation): Buffer {
  return answer(to, '*<FLEX', Buffer.from([FLEX_PROTOCOL, n.version, n.structVersion]));
}

/** §2.4 `*<T` | record index u32: the single telemetry record is stored. */
export function encodeTelemetryAck(to: NtcbPacket, index: number): Buffer {
  const tail = Buffer.alloc(4);
  tail.writeUInt32LE(index >>> 0, 0);
  return answer(to, '*<T', tail);
}

/** §2.4 `*<A` | count u8: the archive records are stored. */
export function encodeArchiveAck(to: NtcbPacket, count: number): Buffer {
  return answer(to, '*<A', Buffer.from([count & 0xff]));
}

/**
 * §1.2.2 FLEX answer: `~` | type | body | CRC-8/NRSC-5 — `~A`/`~E` + the record count u8, `~T`/`~X`
 * + the event index u32, `~C` alone.
 */
export function encodeFlexAck(type: number, body: Buffer = Buffer.alloc(0)): Buffer {
  const b = Buffer.alloc(2 + body.length + 1);
  b[0] = Start.Flex;
  b[1] = type;
  body.copy(b, 2);
  b[b.length - 1] = flexCrc(b.subarray(0, b.length - 1));
  return b;
}

/** §2 standard commands without properties → their text. */
const TEXTS: Readonly<Record<string, string>> = {
  engine_stop: '*!SETOUT 1Y', // output 1 on
  engine_resume: '*!SETOUT 1N',
  reboot: '*!DEV_RESET', // answered *@DEV_RESET
  version: '*?V', // answered *#V:<model>:<firmware>:<date>:<language>
  get_imei: '*?S', // answered *#S:<IMEI>
  get_iccid: '*?ICCID',
};

/**
 * §2 commands: NTCB text, `*!` commands and `*?` queries ("standard commands"). `custom` text is
 * sent as given when it starts with `*` (`*!SETOUT 1Y`, `*?V`), else after `*!`; `custom` hex is
 * the raw data field.
 */
export function commandData(command: CommandRequest): Buffer | CodecError {
  const p = command.properties;
  const text = TEXTS[command.name];
  if (text) return Buffer.from(text, 'latin1');
  switch (command.name) {
    case 'custom': {
      if (p.hex !== undefined) return fromHex(String(p.hex)) ?? bad('custom "hex" is not valid hex');
      if (typeof p.text !== 'string' || p.text === '') return bad('custom needs "text" or "hex"');
      return Buffer.from(p.text.startsWith('*') ? p.text : `${NtcbMessage.Command}${p.text}`, 'latin1');
    }
    case 'output_control': {
      const output = Number(p.output);
      if (!Number.isInteger(output) || output < 1 || output > 16) return bad('output_control needs "output" (1-16)');
      if (typeof p.state !== 'boolean' && p.state !== 0 && p.state !== 1) return bad('output_control needs "state" (true/false or 1/0)');
      return Buffer.from(`*!SETOUT ${output}${p.state === true || p.state === 1 ? 'Y' : 'N'}`, 'latin1'); // answered *@SETOUT OK,<n>Y
    }
    case 'get_params': {
      const ids = Array.isArray(p.ids) ? p.ids : [p.ids];
      if (ids.length === 0 || !ids.every((id) => Number.isInteger(id) && (id as number) >= 0)) return bad('get_params needs "ids" (parameter numbers)');
      return Buffer.from(`*?DATA ${ids.join(',')}`, 'latin1'); // answered *#DATA 21:0026,22:0010
    }
    case 'time_adjust': {
      const seconds = Number(p.seconds);
      if (!Number.isInteger(seconds)) return bad('time_adjust needs "seconds" (an integer, + ahead, - back)');
      return Buffer.from(`*!SETTIME ${seconds < 0 ? '-' : '+'}${Math.abs(seconds)}`, 'latin1'); // answered *@SETTIME OK
    }
    case 'ussd':
      return typeof p.code === 'string' && /^[*#0-9]{2,32}$/.test(p.code) ? Buffer.from(`*?USSD ${p.code}`, 'latin1') : bad('ussd needs "code" (e.g. *100#)');
    default:
      return bad(`unknown command "${command.name}" for navtelecom`);
  }
}

/** The terminal echoes the command keyword in its answer (`*!SETOUT 1Y` → `*@SETOUT OK,1Y`; `*?V` → `*#V:…`). */
export function correlate(command: CommandRequest): string | undefined {
  const data = commandData(command);
  return data instanceof CodecError ? undefined : commandKeyword(data.toString('latin1'));
}

/**
 * Bytes for a hub command: an NTCB frame to the terminal, addressed with the ids of its
 * identification (receiver = its id, sender = the id it addresses; 0 and 1 before one).
 */
export function encodeCommand(command: CommandRequest, state: Pick<SessionState, 'vars'>): Buffer | CodecError {
  const data = commandData(command);
  if (data instanceof CodecError) return data;
  if (data.length === 0 || data.length > MAX_NTCB_DATA) return bad(`command data of ${data.length} bytes does not fit an NTCB frame (1-${MAX_NTCB_DATA})`);
  const device = state.vars[Var.DeviceId];
  const server = state.vars[Var.ServerId];
  return ntcbFrame(typeof device === 'number' ? device : DEFAULT_DEVICE_ID, typeof server === 'number' ? server : DEFAULT_SERVER_ID, data);
}

function bad(reason: string): CodecError {
  return new CodecError(CodecErrorCode.Command, reason);
}
