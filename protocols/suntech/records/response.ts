import type { CommandReply, Decoded } from '../../common/types.js';
import { UNIVERSAL_ACTIONS } from '../constants.js';
import type { TextPacket } from '../packet.js';
import { P } from '../params.js';

/** Universal `<group>;<action>` → the legacy CMD_ID it stands for (the correlation `correlate` gives a command). */
const ACTION_IDS = new Map(Object.entries(UNIVERSAL_ACTIONS).map(([id, action]) => [action, id]));

/**
 * Command answers (§7): legacy `<hdr>;Res;DEV_ID;SW_VER;<CMD_ID>[;…]` to a `…CMD` command (the
 * CMD_ID is the correlation) or `<hdr>;Res;DEV_ID;SW_VER;<values>` to a configuration command
 * (`ST300RPT;Res;…`: the command type is the correlation), universal `RES;DEV_ID;<group>;<action>;…`,
 * and `-Error`, a command the unit refused. The whole text is the response.
 */
export function decodeResponse(p: TextPacket, out: Decoded): void {
  const v = p.fields;
  let correlation: string | undefined;
  if (p.family === 'universal') {
    const action = v.length > 3 ? `${v[2]};${v[3]}` : undefined;
    correlation = action && (ACTION_IDS.get(action) ?? action);
  } else if (p.family !== 'error') correlation = p.type === 'CMD' ? v[4] : p.type;
  const reply: CommandReply = { response: p.text, executed: p.family !== 'error', ...(correlation ? { correlation } : {}) };
  out.commandReplies.push(reply);
  out.messages.push({ [P.response]: p.text });
}
