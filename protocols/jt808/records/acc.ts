import type { Message, MessageValue } from '../../common/types.js';
import type { Family } from '../params.js';
import { P } from '../params.js';

/**
 * What the item readers of one location fill in: the message, the alarms in the order found, and
 * the cell and Wi-Fi lists (written once, at the end).
 */
export interface Acc {
  readonly m: Message;
  readonly alarms: string[];
  readonly cells: MessageValue[];
  readonly wifi: MessageValue[];
  readonly family?: Family;
}

export function newAcc(family: Family | undefined, m: Message = {}): Acc {
  return { m, alarms: [], cells: [], wifi: [], family };
}

export function alarm(a: Acc, type: string | undefined): void {
  if (type && !a.alarms.includes(type)) a.alarms.push(type);
}

/** A cell of a neighbour list; the first MCC/MNC seen is the message's. */
export function cell(a: Acc, mcc: number, mnc: number, lac: number, cid: number, rssi: number): void {
  if (a.m['gsm.mcc'] === undefined) {
    a.m['gsm.mcc'] = mcc;
    a.m['gsm.mnc'] = mnc;
    a.m['gsm.lac'] = lac;
    a.m['gsm.cellid'] = cid;
  }
  a.cells.push([lac, cid, rssi]);
}

/** Alarms as `alarm.type` (comma-joined when several) with `alarm.event.trigger`; cells and Wi-Fi lists. */
export function finish(a: Acc): Message {
  if (a.alarms.length > 0) {
    a.m[P.alarmTrigger] = true;
    a.m[P.alarm] = a.alarms.join(',');
  }
  if (a.cells.length > 0) a.m[P.cells] = a.cells;
  if (a.wifi.length > 0) a.m[P.wifi] = a.wifi;
  return a.m;
}

/** `aabbccddeeff` → `aa:bb:cc:dd:ee:ff`. */
export function mac(bytes: Buffer): string {
  return (bytes.toString('hex').match(/../g) ?? []).join(':');
}

/** A sign-and-magnitude word (bit 15 = negative). */
export function signMagnitude(v: number): number {
  return v & 0x8000 ? -(v & 0x7fff) : v;
}
