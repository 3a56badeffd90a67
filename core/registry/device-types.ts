import type { DeviceTypeDefinition, ProtocolCodec } from '../../protocols/common/types.js';
import { allProtocols } from '../../protocols/index.js';

export interface DeviceType extends DeviceTypeDefinition {
  readonly protocol_id: number;
}

/** Device types of every protocol, by id. */
export function deviceTypes(protocols: readonly ProtocolCodec[] = allProtocols()): ReadonlyMap<number, DeviceType> {
  const map = new Map<number, DeviceType>();
  for (const p of protocols) {
    for (const t of p.deviceTypes) {
      if (map.has(t.id)) throw new Error(`device type id ${t.id} is declared twice`);
      map.set(t.id, { ...t, protocol_id: p.id });
    }
  }
  return map;
}
