/**
 * An ident names a device in topics and keys: printable ASCII without `#`, `+`, `/` or spaces
 * (DESIGN §3), at most 64 characters.
 */
export function isValidIdent(ident: string): boolean {
  if (ident.length === 0 || ident.length > 64) return false;
  for (let i = 0; i < ident.length; i++) {
    const c = ident.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f || c === 0x23 || c === 0x2b || c === 0x2f) return false;
  }
  return true;
}
