import { describe, expect, it } from 'vitest';
import { liveAddOn, liveCost } from '../../../bench/lib/live-cost.js';

const load = { watchedDevices: 100, clientsPerDevice: 3, connectedHours: 176, fleetDevices: 10_000, messagesPerInvocation: 26, frameBytes: 700 };

describe('live push cost model', () => {
  it('counts one pushed frame per message per watching client and prices WebSocket messages and connection minutes', () => {
    const r = liveCost(load);
    expect(r.pushedPerDeviceMonth).toBe(262_800);
    // 100 devices × 87,600 messages × 3 clients = 26.28 M frames at $1 per million
    expect(r.websocket.messages).toBeCloseTo(26.28, 6);
    // 300 clients × 176 h × 60 min at $0.25 per million minutes
    expect(r.websocket.connectionMinutes).toBeCloseTo(0.792, 6);
    // IoT Core: 8.76 M publishes + 26.28 M deliveries, 3.168 M connection minutes at $0.08 per million
    expect(r.iotCore.messages).toBeCloseTo(35.04, 6);
    expect(r.iotCore.connectionMinutes).toBeCloseTo(0.25344, 6);
  });

  it('publishes bus events only for ingest batches holding a watched device: bigger batches, fewer events', () => {
    const small = liveCost(load);
    const big = liveCost({ ...load, messagesPerInvocation: 2200 });
    // 33.69 M invocations × (1 − 0.99^26) ≈ 7.748 M events at $1 per million
    expect(small.websocket.eventBridge).toBeCloseTo(7.748, 3);
    // 398,182 invocations, nearly all holding a watched device
    expect(big.websocket.eventBridge).toBeCloseTo(0.398, 3);
    expect(big.websocket.messages).toBe(small.websocket.messages);
  });

  it('lists the add-on rows of the cost bench', () => {
    const rows = liveAddOn(10_000, [{ config: 'defaults', messagesPerInvocation: 26 }]);
    expect(rows.map((r) => [r.watched_devices, r.clients_per_device, r.pushed_per_device_month])).toEqual([
      [10, 1, 87_600],
      [100, 1, 87_600],
      [100, 3, 262_800],
      [1000, 1, 87_600],
    ]);
  });
});
