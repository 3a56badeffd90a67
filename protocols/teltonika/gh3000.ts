import type { IoDef } from './io-map.js';

/** GH3000 (codec 7) IO elements → parameters; unknown ids are kept as `io.<id>`. */
export const GH3000_TABLE: Readonly<Record<number, IoDef>> = {
  1: { name: 'battery.level', kind: 'u' },
  2: { name: 'usb.connected.status', kind: 'bool' },
  5: { name: 'device.uptime', kind: 'u' },
  20: { name: 'position.hdop', kind: 'u', div: 10 },
  21: { name: 'position.vdop', kind: 'u', div: 10 },
  22: { name: 'position.pdop', kind: 'u', div: 10 },
  67: { name: 'battery.voltage', kind: 'u', div: 1000 },
  221: { name: 'button.enum', kind: 'u' },
  222: { name: 'alarm.event.trigger', kind: 'bool' },
  240: { name: 'movement.status', kind: 'bool' },
  244: { name: 'gsm.roaming.status', kind: 'bool' },
};
