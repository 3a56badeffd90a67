import { CodecError } from '../common/errors.js';
import type { CodecOptions, Inspection, SessionState } from '../common/types.js';
import { MessageType, SettingKey } from './constants.js';
import { encodeAlarmAnswer, encodeHandshakeAnswer, encodeLoginAnswer } from './encoder.js';
import { readPacket } from './packet.js';

/**
 * Identity and acks of one TK103 frame. Every frame carries the serial (§1, since V1.8), so data
 * needs no login first. Answers (§3.1, serial dialect only): BP00 handshake → `(<serial>AP01HSO)`
 * (nothing stored), BP05 login → `(<serial>AP05)`, BO01 alarm → `(<serial>AS01<code>)` unless the
 * channel sets `alarmAck: false`. Positions (BR00, BP04...) and the comma dialect get none. No
 * checksum: the CRC policy does not apply.
 */
export function inspect(frame: Buffer, _state: SessionState, options: CodecOptions): Inspection {
  const p = readPacket(frame);
  if (p instanceof CodecError) return { store: false, error: p };
  const ident = p.ident;
  if (p.dialect === 'comma') return { ident, store: true };
  switch (p.type) {
    case MessageType.Handshake:
      return { ident, store: false, reply: encodeHandshakeAnswer(ident) };
    case MessageType.Login:
      return { ident, store: true, reply: encodeLoginAnswer(ident) };
    case MessageType.Alarm: {
      const setting = options.settings?.[SettingKey.AlarmAck];
      const code = /^\d/.exec(p.body)?.[0];
      if (code === undefined || setting === false || setting === 'false') return { ident, store: true };
      return { ident, store: true, reply: encodeAlarmAnswer(ident, code) };
    }
    default:
      return { ident, store: true };
  }
}
