/** The API's transport-neutral request and response (API Gateway events and local HTTP map onto these). */
export interface ApiRequest {
  readonly method: string;
  /** Path without the stage prefix, e.g. `/gw/devices/12/messages`. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body?: string;
  /** Correlation id for logs (API Gateway request id, or generated). */
  readonly requestId?: string;
  /** Already authenticated by API Gateway's Lambda authorizer (AWS); absent locally. */
  readonly principal?: import('../registry/auth.js').Principal;
}

export interface ApiResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' } as const;

/** Largest request body accepted (413 above). */
export const MAX_BODY_BYTES = 1024 * 1024;

export function json(status: number, value: unknown, headers: Record<string, string> = {}): ApiResponse {
  return { status, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(value) };
}

export function errorResponse(status: number, reason: string): ApiResponse {
  return json(status, { errors: [{ code: status, reason }] });
}

/** Reads the token from `Authorization: FlespiToken <t>` or `Bearer <t>`. */
export function tokenFromHeader(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const m = /^\s*(FlespiToken|Bearer)\s+(\S+)\s*$/i.exec(header);
  return m ? m[2] : undefined;
}
