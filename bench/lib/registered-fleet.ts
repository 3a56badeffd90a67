import type { QueuedFrame } from '../../core/envelope.js';
import type { HubServices } from '../../core/hub.js';
import { avlPacket, type SimRecord } from '../../protocols/teltonika/device.js';

/**
 * Registers `count` Teltonika devices (idents `base`, `base + 7`, …) in batches of 500, the way the
 * ingest benches compare two fleets of one hub; returns their idents.
 */
export async function registerFleet(
  hub: Pick<HubServices, 'devices'>,
  name: string,
  base: number,
  count: number,
  metadata?: Record<string, unknown>,
): Promise<string[]> {
  const idents = Array.from({ length: count }, (_, i) => String(base + i * 7));
  for (let i = 0; i < idents.length; i += 500) {
    await hub.devices.create(
      idents.slice(i, i + 500).map((ident) => ({ name: `${name} ${ident}`, configuration: { ident }, ...(metadata ? { metadata } : {}) })),
    );
  }
  return idents;
}

/** One queued Teltonika frame of fleet device number `index` (its records end `records.length` s after `tMs`). */
export function fleetFrame(ident: string, index: number, tMs: number, channel: number, records: readonly SimRecord[]): QueuedFrame {
  return {
    channelId: channel,
    protocolId: 1,
    transport: 'tcp',
    ident,
    peer: `100.64.0.${index & 255}:40000`,
    receivedAt: tMs / 1000 + records.length,
    frame: avlPacket(records).toString('base64'),
  };
}
