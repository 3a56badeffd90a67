import { RequestCounter } from '../../adapters/aws/request-counter.js';
import { itemSize } from './item-size.js';
import { MESSAGES_PER_DEVICE_MONTH, PRICES } from './prices.js';

type Marshalled = Record<string, Record<string, unknown>>;

/** The provisioned tables' autoscaling target (lib/profiles.ts, every profile). */
const UTILIZATION = 0.7;
/** $ per write unit and per strongly consistent read unit at steady provisioned capacity. */
const PER_WRU = PRICES.dynamoProvisionedPerWcuHour / 3600 / UTILIZATION;
const PER_RRU = PRICES.dynamoProvisionedPerRcuHour / 3600 / UTILIZATION;

const isCalcItem = (item: Marshalled | undefined) => {
  const pk = String(item?.pk?.S ?? '');
  return pk.startsWith('calc#c#') || pk.startsWith('civ');
};
const units = (item: Marshalled, per: number) => Math.max(1, Math.ceil(itemSize(item) / per));

/**
 * Counts the DynamoDB capacity the calculators use on the AWS path (state reads and conditional
 * writes, interval writes), from the requests' marshalled bodies: write units by item size (1 per
 * started KB), read units per state key (1 per started 4 KB, consistent; the caller gives the size).
 */
export class CalcCapacityMeter {
  wru = 0;
  stateReads = 0;
  readonly counter = new RequestCounter({ consumedCapacity: false, onRequest: (r) => this.see(r.operation, r.body) });

  reset(): void {
    this.wru = 0;
    this.stateReads = 0;
  }

  /** $ per device-month the calculators add at `wruPerMessage` and `readsPerMessage` (state items of `stateBytes`). */
  static usdPerDeviceMonth(wruPerMessage: number, readsPerMessage: number, stateBytes: number): number {
    const rru = readsPerMessage * Math.max(1, Math.ceil(stateBytes / 4096));
    return (wruPerMessage * PER_WRU + rru * PER_RRU) * MESSAGES_PER_DEVICE_MONTH;
  }

  private see(operation: string, body: unknown): void {
    const b = body as { Item?: Marshalled; RequestItems?: Record<string, unknown[]> } | undefined;
    if (operation === 'PutItem' && b?.Item && isCalcItem(b.Item)) this.wru += units(b.Item, 1024);
    if (operation === 'BatchWriteItem')
      for (const list of Object.values(b?.RequestItems ?? {}))
        for (const w of list as { PutRequest?: { Item: Marshalled }; DeleteRequest?: { Key: Marshalled } }[]) {
          if (w.PutRequest && isCalcItem(w.PutRequest.Item)) this.wru += units(w.PutRequest.Item, 1024);
          if (w.DeleteRequest && isCalcItem(w.DeleteRequest.Key)) this.wru += 1;
        }
    if (operation === 'BatchGetItem')
      for (const t of Object.values(b?.RequestItems ?? {})) this.stateReads += ((t as { Keys?: Marshalled[] }).Keys ?? []).filter(isCalcItem).length;
  }
}
