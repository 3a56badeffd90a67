/**
 * Deployment configuration (optional `config.json` next to index.html, written by the deployer)
 * and the user's preferences (localStorage: they hold no secret). The token never goes here.
 */
export interface ConsoleConfig {
  /** Base URL of the hub API; default: the page's own origin. */
  apiUrl: string;
  /** Map tile URL template (`https://…/{z}/{x}/{y}.png`); empty = drawn on a grid. */
  tilesUrl: string;
  /** Attribution of the tiles (HTML); empty = OpenStreetMap's for its tiles, else none. */
  tilesAttribution: string;
  /** Live messages: push (WebSocket, where `liveUrl` is set) with fallback to polling, or polling only. */
  live: 'auto' | 'poll';
  /**
   * The hub's live push WebSocket (`wss://…/live` on AWS; `/live`, on the API's own host, locally);
   * empty = this deployment has no push: the live view polls.
   */
  liveUrl: string;
  /** Polling period (ms) where the deployment has no push. */
  pollMs: number;
}

/** OpenStreetMap's standard tiles, the default map (https://operations.osmfoundation.org/policies/tiles/). */
export const OSM_TILES = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';
const OSM_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors';

const PREFS_KEY = 'hub.console.prefs';
/** Stored preferences carry this version; older ones saved every field, tilesUrl '' included. */
const PREFS_VERSION = 2;

const DEFAULTS: ConsoleConfig = { apiUrl: '', tilesUrl: OSM_TILES, tilesAttribution: '', live: 'auto', liveUrl: '', pollMs: 1000 };

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

/** What the console uses without preferences: its defaults, overridden by the deployment's. */
function base(): ConsoleConfig {
  return { ...DEFAULTS, ...deployment };
}

export function getConfig(): ConsoleConfig {
  return { ...base(), ...readPrefs() };
}

/** The attribution the map shows for the configured tiles. */
export function tilesAttribution(c: ConsoleConfig): string {
  if (c.tilesAttribution) return c.tilesAttribution;
  return c.tilesUrl === OSM_TILES ? OSM_ATTRIBUTION : '';
}

function readPrefs(): Partial<ConsoleConfig> {
  try {
    const raw: unknown = JSON.parse(localStorage.getItem(PREFS_KEY) ?? '{}');
    const prefs = sanitize(raw);
    // Before version 2 every save stored the then-default empty tile URL: it was no choice.
    if ((raw as { v?: unknown }).v !== PREFS_VERSION && prefs.tilesUrl === '') delete prefs.tilesUrl;
    return prefs;
  } catch {
    return {};
  }
}

/** Keeps only what differs from the defaults and the deployment, so later changes of those apply. */
export function savePrefs(prefs: Partial<ConsoleConfig>): void {
  const b = base();
  const own = Object.entries(sanitize(prefs)).filter(([k, v]) => b[k as keyof ConsoleConfig] !== v);
  localStorage.setItem(PREFS_KEY, JSON.stringify({ v: PREFS_VERSION, ...Object.fromEntries(own) }));
}

function sanitize(raw: unknown): Partial<ConsoleConfig> {
  if (!raw || typeof raw !== 'object') return {};
  const r = raw as Record<string, unknown>;
  const out: Partial<ConsoleConfig> = {};
  if (typeof r.apiUrl === 'string') out.apiUrl = r.apiUrl.replace(/\/+$/, '');
  if (typeof r.tilesUrl === 'string') out.tilesUrl = r.tilesUrl;
  if (typeof r.tilesAttribution === 'string') out.tilesAttribution = r.tilesAttribution;
  if (r.live === 'auto' || r.live === 'poll') out.live = r.live;
  if (typeof r.liveUrl === 'string' && (r.liveUrl === '' || /^(wss?:\/\/|\/)/.test(r.liveUrl))) out.liveUrl = r.liveUrl;
  if (typeof r.pollMs === 'number' && r.pollMs >= 250 && r.pollMs <= 60000) out.pollMs = r.pollMs;
  return out;
}
