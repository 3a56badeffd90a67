/**
 * Every outbound AWS call is bounded: a connection must open within 3 s and an answer come within
 * 10 s (the SDK then retries within its attempt budget). Spread into any v3 client's config.
 */
export const AWS_CLIENT_DEFAULTS = {
  maxAttempts: 4,
  requestHandler: { connectionTimeout: 3_000, requestTimeout: 10_000, throwOnRequestTimeout: true },
} as const;
