import type { HubServices } from '../../core/hub.js';

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
