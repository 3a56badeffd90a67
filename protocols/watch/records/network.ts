import type { Message, MessageValue } from '../../common/types.js';
import { numberOf, P } from '../params.js';
import { cellNumber, count } from './fields.js';

/**
 * SeTracker Appendix I, after the status word: `<cells>[,<ta>,<mcc>,<mnc>,(<lac>,<cid>,<rssi>)×cells]`,
 * `<access points>,(<name>,<mac>,<rssi>)×access points`, then (4G units) the accuracy in metres.
 * Units without cells leave out the TA (Traccar corpus). A block whose count does not fit the fields
 * that follow is not read: its fields stay `io.<n>`. Returns the index of the first field not read.
 */
export function readNetwork(m: Message, f: readonly string[], from: number): number {
  let i = from;
  const cells = count(f[i]);
  if (cells === undefined) return i;
  i++;
  if (cells > 0) {
    if (i + 3 + cells * 3 > f.length) return from;
    readCells(m, f, i, cells);
    i += 3 + cells * 3;
  }
  if (i < f.length) {
    const raw = f[i].trim();
    const aps = count(raw);
    if (raw === '') i++;
    else if (aps !== undefined && i + 1 + aps * 3 <= f.length) {
      readAccessPoints(m, f, i + 1, aps);
      i += 1 + aps * 3;
    }
  }
  const accuracy = i === f.length - 1 ? numberOf(f[i]) : undefined;
  if (accuracy !== undefined && accuracy >= 0) {
    m[P.accuracy] = accuracy;
    i++;
  }
  return i;
}

/** TA, MCC, MNC, then the cells: the first (serving) cell as gsm.lac / gsm.cellid, all of them as gsm.cells. */
function readCells(m: Message, f: readonly string[], at: number, n: number): void {
  const [ta, mcc, mnc] = [numberOf(f[at]), numberOf(f[at + 1]), numberOf(f[at + 2])];
  if (ta !== undefined) m[P.ta] = ta;
  if (mcc !== undefined) m[P.mcc] = mcc;
  if (mnc !== undefined) m[P.mnc] = mnc;
  const list: MessageValue[] = [];
  for (let k = 0, i = at + 3; k < n; k++, i += 3) {
    const lac = cellNumber(f[i]);
    const cid = cellNumber(f[i + 1]);
    if (lac === undefined || cid === undefined) continue;
    if (list.length === 0) Object.assign(m, { [P.lac]: lac, [P.cid]: cid });
    list.push([lac, cid, numberOf(f[i + 2]) ?? null]);
  }
  if (list.length > 0) m[P.cells] = list;
}

/** `<name>,<mac>,<rssi>` per access point, strongest first; a MAC of `0` or nothing is no access point. */
function readAccessPoints(m: Message, f: readonly string[], at: number, n: number): void {
  const aps: MessageValue[] = [];
  const names: MessageValue[] = [];
  for (let k = 0, i = at; k < n; k++, i += 3) {
    const mac = f[i + 1].trim().toLowerCase();
    if (!/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/.test(mac)) continue;
    aps.push([mac, numberOf(f[i + 2]) ?? null]);
    names.push(f[i]);
  }
  if (aps.length > 0) Object.assign(m, { [P.wifi]: aps, [P.wifiNames]: names });
}
