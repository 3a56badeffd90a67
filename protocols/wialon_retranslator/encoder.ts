import { CodecError, CodecErrorCode } from '../common/errors.js';
import type { CommandRequest } from '../common/types.js';
import { ACK } from './constants.js';

/** The acknowledgement of one packet (spec "Outgoing data"): the single byte 0x11. */
export function encodeAck(): Buffer {
  return ACK;
}

/**
 * Wialon Retranslator carries no commands: the sender is a Wialon server that reads nothing from
 * the receiver but the 0x11 acknowledgement, and one connection carries many units, so any other
 * byte written to it (a stray 0x11 above all) would be taken for an ack of a packet not yet
 * stored. Commands for these units go through Wialon itself.
 */
export function encodeCommand(command: CommandRequest): CodecError {
  return new CodecError(
    CodecErrorCode.Command,
    `unknown command "${command.name}" for wialon_retranslator: the protocol carries no commands (the Wialon server reads only the 0x11 ack)`,
  );
}

/** No commands, so no correlation. */
export function correlate(_command: CommandRequest): string | undefined {
  return undefined;
}
