/**
 * Hex fixtures written like a spec: one field group per line, comment after `//`.
 *   hexFixture(`
 *     00000000   // preamble
 *     08         // codec 8
 *   `)
 */
export function hexFixture(text: string): Buffer {
  const digits = text
    .split('\n')
    .map((line) => line.replace(/\/\/.*$/, ''))
    .join('')
    .replace(/\s+/g, '');
  if (!/^([0-9a-fA-F]{2})*$/.test(digits)) throw new Error(`fixture is not whole bytes of hex: ${digits.slice(0, 60)}`);
  return Buffer.from(digits, 'hex');
}
