import type { Reader } from '../../common/reader.js';
import type { Message, MessageValue } from '../../common/types.js';
import { Mask } from '../constants.js';
import { P } from '../params.js';

/** Bytes of each LTE cell after the serving one (kept as hex). */
const LTE_NEIGHBOUR = 5;

/** A MAC address as `aa:bb:cc:dd:ee:ff`. */
function mac(r: Reader): string {
  return r
    .bytes(6)
    .toString('hex')
    .replace(/(..)(?!$)/g, '$1:');
}

/**
 * §5.4 the cell and Wi-Fi fields the mask announces, after the position: serving cell (bit 1:
 * MCC, MNC, LAC u16, CID u32, RxLev u8), neighbour cells (bits 2–3: LAC, CID, RxLev), access
 * points (bits 4–6: MAC, RSSI i8), then (bit 7) the LTE block: radio access technology u8, counts
 * u8 (cells in bits 0–2, access points in bits 3–6), the serving LTE cell, 5 bytes per further
 * cell, and the access points.
 */
export function readNetwork(r: Reader, mask: number, m: Message): void {
  const cells: MessageValue[] = [];
  const wifi: MessageValue[] = [];
  if (mask & Mask.Cell0) {
    m[P.mcc] = r.u16();
    m[P.mnc] = r.u16();
    m[P.lac] = r.u16();
    m[P.cid] = r.u32();
    m[P.rssi] = r.u8();
  }
  for (const bit of [Mask.Cell1, Mask.Cell2]) if (mask & bit) cells.push([r.u16(), r.u32(), r.u8()]);
  for (const bit of [Mask.Wifi0, Mask.Wifi1, Mask.Wifi2]) if (mask & bit) wifi.push([mac(r), r.i8()]);
  if (mask & Mask.Lte) readLte(r, m, wifi);
  if (cells.length > 0) m[P.cells] = cells;
  if (wifi.length > 0) m[P.wifi] = wifi;
}

function readLte(r: Reader, m: Message, wifi: MessageValue[]): void {
  m[P.lteRat] = r.u8();
  const counts = r.u8();
  const cellCount = counts & 0x07;
  const wifiCount = (counts >> 3) & 0x0f;
  if (cellCount > 0) {
    const mcc = r.u16();
    const mnc = r.u16();
    const lac = r.u16();
    m[P.lteTac] = r.u16();
    const cid = r.u32();
    m[P.lteTa] = r.u16();
    m[P.ltePcid] = r.u16();
    m[P.lteEarfcn] = r.u16();
    m[P.lteRssi] = r.i8();
    if (m[P.mcc] === undefined) {
      m[P.mcc] = mcc;
      m[P.mnc] = mnc;
      m[P.lac] = lac;
      m[P.cid] = cid;
    }
    if (cellCount > 1) m[P.lteNeighbours] = r.bytes((cellCount - 1) * LTE_NEIGHBOUR).toString('hex');
  }
  for (let i = 0; i < wifiCount; i++) wifi.push([mac(r), r.i8()]);
}
