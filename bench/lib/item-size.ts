/**
 * DynamoDB item sizes as AWS bills storage and write units: attribute names plus values (strings
 * and binary by length, numbers by significant digits), plus 100 bytes of per-item overhead for
 * storage. Works on the marshalled (wire JSON) form the request counter sees.
 */
type AttributeValue = Record<string, unknown>;

export function attributeValueSize(v: AttributeValue): number {
  const [type, val] = Object.entries(v)[0] ?? ['NULL', true];
  switch (type) {
    case 'S':
      return Buffer.byteLength(String(val));
    case 'B':
      return Buffer.from(String(val), 'base64').length;
    case 'N': {
      const digits = String(val).replace(/^-/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '').length || 1;
      return Math.ceil(digits / 2) + 1;
    }
    case 'BOOL':
    case 'NULL':
      return 1;
    case 'SS':
      return (val as string[]).reduce((n, s) => n + Buffer.byteLength(s), 0);
    case 'NS':
      return (val as string[]).reduce((n, s) => n + attributeValueSize({ N: s }), 0);
    case 'BS':
      return (val as string[]).reduce((n, s) => n + Buffer.from(s, 'base64').length, 0);
    case 'L':
      return 3 + (val as AttributeValue[]).reduce((n, x) => n + 1 + attributeValueSize(x), 0);
    case 'M':
      return 3 + Object.entries(val as Record<string, AttributeValue>).reduce((n, [k, x]) => n + 1 + Buffer.byteLength(k) + attributeValueSize(x), 0);
    default:
      return 0;
  }
}

/** Bytes of an item (names + values), as write units are computed (1 WRU per started KB). */
export function itemSize(item: Record<string, AttributeValue>): number {
  return Object.entries(item).reduce((n, [k, v]) => n + Buffer.byteLength(k) + attributeValueSize(v), 0);
}

/** Bytes an item takes in table storage (AWS adds 100 bytes of index overhead per item). */
export function storedItemSize(item: Record<string, AttributeValue>): number {
  return itemSize(item) + 100;
}
