import { CRC8, CRC16, crc8, crc16 } from '../common/crc.js';
import { CodecError, CodecErrorCode } from '../common/errors.js';
import { fromHex } from '../common/reader.js';
import type { CommandRequest } from '../common/types.js';
import { Action, AuthSr, COMMAND_DATA, CommandCode, CommandType, HEADER_SIZE, PacketType, PRV, RecordFlags, Service } from './constants.js';

const headerCrc = crc8(CRC8.NRSC5);
const dataCrc = crc16(CRC16.CCITT_FALSE);
const MAX_U32 = 0xffffffff;
/** SFRD of one packet: FDL is a u16; leave room for the record and subrecord headers. */
const MAX_COMMAND_DATA = 65_000;

/**
 * One transport packet (GOST 33465-2015 §5.6.1): PRV 01, SKID 0, flags 0 (no routing, encryption
 * or compression, highest priority), HL 11, HE 0, FDL, PID, PT, HCS (CRC-8/NRSC-5 of the ten bytes
 * before it), SFRD, SFRCS (CRC-16/CCITT-FALSE of SFRD, when there is one).
 */
export function encodePacket(pt: number, pid: number, sfrd: Buffer): Buffer {
  const out = Buffer.alloc(HEADER_SIZE + sfrd.length + (sfrd.length > 0 ? 2 : 0));
  out[0] = PRV;
  out[3] = HEADER_SIZE;
  out.writeUInt16LE(sfrd.length, 5);
  out.writeUInt16LE(pid & 0xffff, 7);
  out[9] = pt;
  out[10] = headerCrc(out, 0, 10);
  sfrd.copy(out, HEADER_SIZE);
  if (sfrd.length > 0) out.writeUInt16LE(dataCrc(sfrd), HEADER_SIZE + sfrd.length);
  return out;
}

/** A subrecord (§6.6.3): SRT, SRL u16, SRD. */
function subrecord(srt: number, data: Buffer): Buffer {
  const head = Buffer.from([srt, data.length & 0xff, data.length >> 8]);
  return Buffer.concat([head, data]);
}

/** A service data record for the unit (§6.6.2): RL, RN, RFL = RSOD (the recipient service is on the unit), SST = RST = service. */
function serviceRecord(rn: number, service: number, data: Buffer): Buffer {
  const head = Buffer.alloc(7);
  head.writeUInt16LE(data.length, 0);
  head.writeUInt16LE(rn & 0xffff, 2);
  head[4] = RecordFlags.RecipientOnDevice;
  head[5] = service;
  head[6] = service;
  return Buffer.concat([head, data]);
}

/** A record the hub confirms: its number, its service, and the status the hub gives it. */
export interface Confirmation {
  readonly rn: number;
  readonly service: number;
  readonly status: number;
}

/**
 * EGTS_PT_RESPONSE (§5.6.3.1): RPID (the confirmed packet's PID), PR (transport result), then one
 * record per confirmed record, on that record's service, holding EGTS_SR_RECORD_RESPONSE (§6.7.2.1:
 * CRN u16, RST u8). Records are numbered from `rn`.
 */
export function encodeResponse(pid: number, rpid: number, pr: number, confirmations: readonly Confirmation[], rn: number): Buffer {
  const head = Buffer.from([rpid & 0xff, (rpid >> 8) & 0xff, pr]);
  const records = confirmations.map((c, i) =>
    serviceRecord(rn + i, c.service, subrecord(AuthSr.RecordResponse, Buffer.from([c.rn & 0xff, (c.rn >> 8) & 0xff, c.status]))),
  );
  return encodePacket(PacketType.Response, pid, Buffer.concat([head, ...records]));
}

/** The platform's answer to an authentication: EGTS_SR_RESULT_CODE (RCD) in an auth-service record of an APPDATA packet (§6.7.2.8). */
export function encodeResultCode(pid: number, rn: number, code: number, srt: number = AuthSr.ResultCode): Buffer {
  return encodePacket(PacketType.AppData, pid, serviceRecord(rn, Service.Auth, subrecord(srt, Buffer.from([code]))));
}

/** A CT_COM command body (§6.7.3.1, command format): module address, action, command or parameter code, data. */
export interface CommandBody {
  readonly code: number;
  readonly action: number;
  readonly data: Buffer;
  readonly address?: number;
}

/**
 * EGTS_SR_COMMAND_DATA CT_COM in a commands-service record (§6.7.3.1): CT 5 / CCT 0, CID (the hub
 * command id, echoed in the unit's CT_COMCONF), SID 0, no charset or authorisation code, then the
 * command: ADR u16, SZ 0 / ACT, CCD u16, DT. The packet and record numbers are the low 16 bits of CID.
 */
export function encodeCommandPacket(cid: number, body: CommandBody): Buffer {
  const srd = Buffer.alloc(10 + 5 + body.data.length);
  srd[0] = CommandType.Com << 4;
  srd.writeUInt32LE(cid, 1);
  srd.writeUInt32LE(0, 5);
  srd[9] = 0;
  srd.writeUInt16LE(body.address ?? 0, 10);
  srd[12] = body.action;
  srd.writeUInt16LE(body.code, 13);
  body.data.copy(srd, 15);
  return encodePacket(PacketType.AppData, cid, serviceRecord(cid, Service.Commands, subrecord(COMMAND_DATA, srd)));
}

/** Bytes on the wire for a hub command; the hub command id travels as CID (0 without one). */
export function encodeCommand(command: CommandRequest): Buffer | CodecError {
  const cid = command.id ?? 0;
  if (!Number.isInteger(cid) || cid < 0 || cid > MAX_U32) return bad(`command id ${cid} does not fit the u32 CID`);
  const body = commandBody(command);
  if (body instanceof CodecError) return body;
  if (body.data.length > MAX_COMMAND_DATA) return bad(`command data of ${body.data.length} bytes exceeds ${MAX_COMMAND_DATA}`);
  return encodeCommandPacket(cid, body);
}

/** The CT_COM body of a named hub command (codes: GOST 33465 §6.7.3.2, EGTS_FLEET_* of Order No. 285). */
export function commandBody(command: CommandRequest): CommandBody | CodecError {
  const p = command.properties;
  const run = (code: number, data: Buffer = Buffer.alloc(0)): CommandBody => ({ code, action: Action.Params, data });
  switch (command.name) {
    case 'custom': {
      const data = payload(p);
      return data ?? bad('custom needs "text" or "hex"');
    }
    case 'terminal_command':
      return terminalCommand(p);
    case 'locate':
      return run(CommandCode.FleetGetPosData);
    case 'engine_stop':
      return run(CommandCode.FleetDoutOn, outputs(1));
    case 'engine_resume':
      return run(CommandCode.FleetDoutOff, outputs(1));
    case 'output_control': {
      const output = int(p.output, 1, 16);
      const on = p.state === true || p.state === 1 ? true : p.state === false || p.state === 0 ? false : undefined;
      if (output === undefined || on === undefined) return bad('output_control needs "output" (1-16) and "state" (true/false)');
      return run(on ? CommandCode.FleetDoutOn : CommandCode.FleetDoutOff, outputs(output));
    }
    case 'reboot':
      return run(CommandCode.Restart);
    case 'factory_reset':
      return run(CommandCode.ConfigReset);
    case 'get_state':
      return run(CommandCode.FleetGetState);
    case 'get_sensors':
      return run(CommandCode.FleetGetSensorsData);
    case 'get_outputs':
      return run(CommandCode.FleetGetDoutData);
    case 'odometer_reset':
      return run(CommandCode.FleetOdomClear);
    case 'get_parameter':
    case 'set_parameter':
      return parameter(command.name, p);
    default:
      return bad(`unknown command "${command.name}" for egts`);
  }
}

/** `custom`: EGTS_RAW_DATA with the text (CP-1251 by default; ASCII is the same) or the bytes as DT. */
function payload(p: Readonly<Record<string, unknown>>): CommandBody | undefined {
  if (typeof p.text === 'string' && p.text.length > 0) return { code: CommandCode.RawData, action: Action.Params, data: Buffer.from(p.text, 'latin1') };
  if (typeof p.hex !== 'string') return undefined;
  const data = fromHex(p.hex);
  return data && data.length > 0 ? { code: CommandCode.RawData, action: Action.Params, data } : undefined;
}

/** Any command or parameter code with an action and data, for what the named commands do not cover. */
function terminalCommand(p: Readonly<Record<string, unknown>>): CommandBody | CodecError {
  const code = int(p.code, 0, 0xffff);
  const action = int(p.action ?? Action.Params, 0, 4);
  const address = int(p.address ?? 0, 0, 0xffff);
  if (code === undefined || action === undefined || address === undefined)
    return bad('terminal_command needs "code" (0-65535), "action" (0-4) and "address" (0-65535)');
  const data = typeof p.hex === 'string' ? fromHex(p.hex) : Buffer.from(typeof p.text === 'string' ? p.text : '', 'latin1');
  return data ? { code, action, data, address } : bad('terminal_command "hex" is not valid hex');
}

/** ACT 1 reads a parameter; ACT 2 writes it: text as its bytes, an integer as INT (u32 LE). */
function parameter(name: string, p: Readonly<Record<string, unknown>>): CommandBody | CodecError {
  const code = int(p.code, 0, 0xffff);
  if (code === undefined) return bad(`${name} needs "code" (0-65535)`);
  if (name === 'get_parameter') return { code, action: Action.Get, data: Buffer.alloc(0) };
  if (typeof p.value === 'string') return { code, action: Action.Set, data: Buffer.from(p.value, 'latin1') };
  const n = int(p.value, 0, MAX_U32);
  if (n === undefined) return bad('set_parameter needs "value" (text, or an integer 0-4294967295)');
  const data = Buffer.alloc(4);
  data.writeUInt32LE(n, 0);
  return { code, action: Action.Set, data };
}

/** DOUT_ON / DOUT_OFF data: a u16 bitmask of outputs, bit 0 = output 1. */
function outputs(output: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(1 << (output - 1), 0);
  return b;
}

function int(v: unknown, min: number, max: number): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? v : undefined;
}

/** The unit echoes CID in its CT_COMCONF: the hub command id, 0 without one. */
export function correlate(command: CommandRequest): string | undefined {
  return String(command.id ?? 0);
}

function bad(reason: string): CodecError {
  return new CodecError(CodecErrorCode.Command, reason);
}
