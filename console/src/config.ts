/**
 * Deployment configuration (optional `config.json` next to index.html, written by the deployer)
 * and the user's preferences (localStorage: they hold no secret). The token never goes here.
 */
export interface ConsoleConfig {
  /** Base URL of the hub API; default: the page's own origin. */
  apiUrl: string;
  /** Map tile URL template (`https://…/{z}/{x}/{y}.png`); empty = plain background. */
  tilesUrl: string;
  tilesAttribution: string;
  /** Live messages: push (SSE) with fallback to polling, or polling only. */
  live: 'auto' | 'poll';
  /** Polling period (ms) where the deployment has no push. */
  pollMs: number;
}

const PREFS_KEY = 'hub.console.prefs';

const DEFAULTS: ConsoleConfig = { apiUrl: '', tilesUrl: '', tilesAttribution: '', live: 'auto', pollMs: 1000 };

let deployment: Partial<ConsoleConfig> = {};

/** Reads `config.json` once at start; a missing or malformed file means defaults. */
export async function loadDeploymentConfig(): Promise<void> {
  try {
    const res = await fetch('./config.json', { cache: 'no-store' });
    if (res.ok && (res.headers.get('content-type') ?? '').includes('json')) deployment = sanitize(await res.json());
  } catch {
    deployment = {};
  }
}

export function getConfig(): ConsoleConfig {
  return { ...DEFAULTS, ...deployment, ...readPrefs() };
}

export function readPrefs(): Partial<ConsoleConfig> {
  try {
    return sanitize(JSON.parse(localStorage.getItem(PREFS_KEY) ?? '{}'));
  } catch {
    return {};
  }
}

export function savePrefs(prefs: Partial<ConsoleConfig>): void {
  localStorage.setItem(PREFS_KEY, JSON.stringify(sanitize(prefs)));
}

function sanitize(raw: unknown): Partial<ConsoleConfig> {
  if (!raw || typeof raw !== 'object') return {};
  const r = raw as Record<string, unknown>;
  const out: Partial<ConsoleConfig> = {};
  if (typeof r.apiUrl === 'string') out.apiUrl = r.apiUrl.replace(/\/+$/, '');
  if (typeof r.tilesUrl === 'string') out.tilesUrl = r.tilesUrl;
  if (typeof r.tilesAttribution === 'string') out.tilesAttribution = r.tilesAttribution;
  if (r.live === 'auto' || r.live === 'poll') out.live = r.live;
  if (typeof r.pollMs === 'number' && r.pollMs >= 250 && r.pollMs <= 60000) out.pollMs = r.pollMs;
  return out;
}
