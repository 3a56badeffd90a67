import type { Reader } from '../../common/reader.js';
import type { Message } from '../../common/types.js';
import { FILE_PART } from '../constants.js';

/** Files (command 37): sub-command | source | for a part (2): name 8 ASCII | parts u16 | part u16 | data. */
export function decodeFile(r: Reader): Message {
  const subcommand = r.u8();
  const m: Message = { 'ruptela.file.subcommand': subcommand, 'ruptela.file.source': r.u8() };
  if (subcommand === FILE_PART) {
    m['ruptela.file.name'] = r.ascii(8);
    m['ruptela.file.parts'] = r.u16();
    m['ruptela.file.part'] = r.u16();
  }
  m['ruptela.file.data'] = r.bytes(r.remaining).toString('hex');
  return m;
}
