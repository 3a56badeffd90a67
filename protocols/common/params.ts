/**
 * The parameter table type every protocol's `params.ts` uses (STYLE §3: IO elements, names, scales
 * and units in one table per protocol, one line per element). Protocols with more to say about an
 * element (its length, an alarm it raises) extend `ParamDef`.
 */

/** `u` unsigned, `s` signed (two's complement of the element's size), `bool` (non-zero), `hex` (raw bytes), `ascii` (text). */
export type ParamKind = 'u' | 's' | 'bool' | 'hex' | 'ascii';

export interface ParamDef {
  /** The message parameter (DESIGN §3 names: `external.powersource.voltage`, `din.1`...). */
  readonly name: string;
  readonly kind: ParamKind;
  /** The raw integer is divided by this: 12345 / 1000 = 12.345 exactly, where 12345 × 0.001 is not. */
  readonly divisor?: number;
  /** `din.N` / `dout.N` elements also set bit N-1 of the `din` / `dout` bitmask. */
  readonly bitmask?: 'din' | 'dout';
  readonly bit?: number;
}

/** One table line: id, name, kind and divisor. */
export type ParamRow = readonly [id: number, name: string, kind: ParamKind, divisor?: number];

/** A dense lookup by id (ids up to `size`), built once from the rows; a duplicate id is a programming error. */
export function paramTable(rows: readonly ParamRow[], size = 65536, what = 'parameter'): ReadonlyArray<ParamDef | undefined> {
  const table: (ParamDef | undefined)[] = new Array(size);
  for (const [id, name, kind, divisor] of rows) {
    if (table[id]) throw new Error(`duplicate ${what} id ${id}`);
    table[id] = paramDef(name, kind, divisor);
  }
  return table;
}

/** A definition, with `din.N`/`dout.N` bitmask bits derived from the name. */
export function paramDef(name: string, kind: ParamKind, divisor?: number): ParamDef {
  const bits = /^(din|dout)\.(\d+)$/.exec(name);
  return {
    name,
    kind,
    ...(divisor === undefined ? {} : { divisor }),
    ...(bits ? { bitmask: bits[1] as 'din' | 'dout', bit: Number(bits[2]) - 1 } : {}),
  };
}

/** The value of a raw integer element of `size` bytes (8-byte values beyond 2^53 stay hex strings). */
export function convertParam(def: ParamDef, raw: number | string, size: number): number | boolean | string {
  if (typeof raw === 'string') return raw;
  if (def.kind === 'bool') return raw !== 0;
  let v = raw;
  if (def.kind === 's' && size < 8) {
    const half = 2 ** (size * 8 - 1);
    if (v >= half) v -= half * 2;
  }
  return def.divisor === undefined ? v : v / def.divisor;
}

const UNKNOWN_NAMES = new Map<string, string[]>();

/** `<prefix>.<id>` for an element the table does not know (kept, never dropped: DESIGN §3), built once per id. */
export function unknownParamName(id: number, prefix = 'io'): string {
  let names = UNKNOWN_NAMES.get(prefix);
  if (!names) {
    names = [];
    UNKNOWN_NAMES.set(prefix, names);
  }
  const name = names[id] ?? `${prefix}.${id}`;
  names[id] = name;
  return name;
}
