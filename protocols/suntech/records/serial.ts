import type { Message } from '../../common/types.js';
import { P } from '../params.js';
import { num } from './common.js';

/**
 * The payload of a UEX report (§6-7: data of the external RS232 device, up to 500 bytes), kept
 * as text (`suntech.serial.data`, line end dropped) or hex when it is not text, and read for the
 * accessories whose sentences Traccar knows: `CabAVL"…,fuel1,fuel2,…"FinAVL` fuel meters,
 * `GTSL|…|…|…|<driver>` card readers, and `t_N=<hex>` temperature / `N_N=<hex>` fuel level /
 * `Q_D=<hex>` driving quality pairs (ST600 fuel sensors).
 */
export function decodeSerial(m: Message, data: Buffer): void {
  const text = data.toString('latin1');
  if (!/^[\x20-\x7e\r\n\t]*$/.test(text)) {
    m[P.serialHex] = data.toString('hex');
    return;
  }
  const line = text.replace(/[\r\n]+$/, '');
  m[P.serial] = line.trim();
  let fuel = 0;
  for (const item of line.split(';')) {
    if (item.startsWith('CabAVL')) {
      const f = item.split(',');
      for (const n of [1, 2]) {
        const v = num(f[n + 1]);
        if (v !== undefined && v > 0) {
          m[P.fuelN(n)] = v;
          fuel += v;
        }
      }
    } else if (item.startsWith('GTSL')) {
      const driver = item.split('|')[4];
      if (driver) m[P.driver] = driver.trim();
    } else fuel += pair(m, item);
  }
  if (fuel > 0) m[P.fuel] = fuel;
}

/** `t_0=0D` → sensor.temperature.1 = 13; `N_1=039F.0` → fuel.level.2 = 927 (returned to add to the total); `Q_D=0B` → driving quality 11. */
function pair(m: Message, item: string): number {
  const kv = /^([tNQ])_([0-9A-Za-z])=\s*([0-9A-Fa-f]+)(\.\d*)?\s*$/.exec(item);
  if (!kv) return 0;
  const value = parseInt(kv[3], 16);
  const slot = /\d/.test(kv[2]) ? Number(kv[2]) + 1 : undefined;
  if (kv[1] === 'Q') m[P.drivingQuality] = value;
  else if (slot !== undefined && kv[1] === 't') m[P.temp(slot)] = value;
  else if (slot !== undefined && kv[1] === 'N') {
    m[P.fuelN(slot)] = value;
    return value;
  }
  return 0;
}
