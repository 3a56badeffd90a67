import type { Message, MessageValue } from '../../protocols/common/types.js';
import { type CompiledExpression, compileExpression, type EvalContext } from '../expressions/index.js';
import { distanceKm } from '../geofences/index.js';
import { wildcard } from '../messages/filter.js';
import { parseOrThrow } from '../schemas/common.js';
import { PLUGIN_CONFIG_SCHEMAS, type Plugin, RESERVED_PARAMETERS } from '../schemas/plugins.js';
import type { CompiledPlugin, PluginContext } from './types.js';

type Apply = (message: Message, ctx: PluginContext) => string | undefined;
interface Built {
  readonly apply: Apply;
  readonly needsPrevious?: boolean;
  readonly needsGeofences?: boolean;
}

/**
 * Compiles a plugin once: its configuration is checked against its type (ValidationError naming
 * `<where>.<field>`) and its expressions compiled (ExpressionError with the position).
 */
export function compilePlugin(plugin: Pick<Plugin, 'id' | 'name' | 'type' | 'configuration'>, where = 'configuration'): CompiledPlugin {
  const built = build(plugin, where);
  return Object.freeze({
    id: plugin.id,
    name: plugin.name,
    type: plugin.type,
    needsPrevious: built.needsPrevious ?? false,
    needsGeofences: built.needsGeofences ?? false,
    apply: built.apply,
  });
}

function build(plugin: Pick<Plugin, 'type' | 'configuration'>, where: string): Built {
  const raw = plugin.configuration;
  switch (plugin.type) {
    case 'expression': {
      const c = parseOrThrow(PLUGIN_CONFIG_SCHEMAS.expression, raw, where);
      const e = compileExpression(c.expression, `${where}.expression`);
      return {
        ...uses(e),
        apply: (m, ctx) => {
          const v = e.evaluate(evalContext(m, ctx));
          if (v !== null) m[c.parameter] = v as MessageValue;
          return undefined;
        },
      };
    }
    case 'filter': {
      const c = parseOrThrow(PLUGIN_CONFIG_SCHEMAS.filter, raw, where);
      const e = compileExpression(c.expression, `${where}.expression`);
      const reason = `expression is false: ${c.expression}`;
      return { ...uses(e), apply: (m, ctx) => (e.test(evalContext(m, ctx)) ? undefined : reason) };
    }
    case 'erase':
      return { apply: eraser(parseOrThrow(PLUGIN_CONFIG_SCHEMAS.erase, raw, where).parameters) };
    case 'static': {
      const entries = Object.entries(parseOrThrow(PLUGIN_CONFIG_SCHEMAS.static, raw, where).parameters) as [string, MessageValue][];
      return {
        apply: (m) => {
          for (const [k, v] of entries) m[k] = v;
          return undefined;
        },
      };
    }
    case 'geofence': {
      const c = parseOrThrow(PLUGIN_CONFIG_SCHEMAS.geofence, raw, where);
      return { needsGeofences: true, apply: geofenceTagger(c.geofences === 'all' ? undefined : new Set(c.geofences)) };
    }
    case 'sanity': {
      const c = parseOrThrow(PLUGIN_CONFIG_SCHEMAS.sanity, raw, where);
      return { needsPrevious: c.max_speed !== undefined, apply: sanity(c.max_speed, c.drop_zero) };
    }
  }
}

function uses(e: CompiledExpression): Pick<Built, 'needsPrevious' | 'needsGeofences'> {
  return { needsPrevious: e.usesPrevious.length > 0, needsGeofences: e.usesGeofences.length > 0 };
}

function evalContext(message: Message, ctx: PluginContext): EvalContext {
  const index = ctx.geofences;
  return {
    message,
    previous: ctx.previous,
    metadata: ctx.metadata,
    insideGeofence: index ? (name, lat, lon) => index.inside(name, lat, lon) : undefined,
  };
}

/** Exact names are deleted directly; patterns with `*` are matched against every name. Hub-set names stay. */
function eraser(patterns: readonly string[]): Apply {
  const exact = patterns.filter((p) => !p.includes('*') && !RESERVED_PARAMETERS.has(p));
  const regexes = patterns.filter((p) => p.includes('*')).map(wildcard);
  return (m) => {
    for (const name of exact) delete m[name];
    if (regexes.length > 0) {
      for (const name of Object.keys(m)) if (!RESERVED_PARAMETERS.has(name) && regexes.some((r) => r.test(name))) delete m[name];
    }
    return undefined;
  };
}

function position(m: Message | undefined): { lat: number; lon: number } | undefined {
  const lat = m?.['position.latitude'];
  const lon = m?.['position.longitude'];
  return typeof lat === 'number' && typeof lon === 'number' && Number.isFinite(lat) && Number.isFinite(lon) ? { lat, lon } : undefined;
}

/** `geofence.names`: the names of the (listed) enabled geofences containing the position, by priority; `geofence.inside`. */
function geofenceTagger(ids: ReadonlySet<number> | undefined): Apply {
  return (m, ctx) => {
    const p = position(m);
    if (!p || !ctx.geofences) return undefined;
    const names: string[] = [];
    for (const g of ctx.geofences.containing(p.lat, p.lon)) if ((!ids || ids.has(g.id)) && !names.includes(g.name)) names.push(g.name);
    m['geofence.names'] = names;
    m['geofence.inside'] = names.length > 0;
    return undefined;
  };
}

/** Drops 0/0 positions and positions implying a jump faster than `maxSpeed` km/h from the previous position. */
function sanity(maxSpeed: number | undefined, dropZero: boolean): Apply {
  return (m, ctx) => {
    const p = position(m);
    if (!p) return undefined;
    if (dropZero && p.lat === 0 && p.lon === 0) return 'position 0/0';
    if (maxSpeed === undefined) return undefined;
    const q = position(ctx.previous);
    const t1 = m.timestamp;
    const t0 = ctx.previous?.timestamp;
    if (!q || typeof t1 !== 'number' || typeof t0 !== 'number') return undefined;
    const km = distanceKm(q.lat, q.lon, p.lat, p.lon);
    const seconds = Math.abs(t1 - t0);
    const speed = seconds === 0 ? (km === 0 ? 0 : Number.POSITIVE_INFINITY) : (km / seconds) * 3600;
    if (speed <= maxSpeed) return undefined;
    const shown = Number.isFinite(speed) ? `${Math.round(speed)} km/h` : 'an instant jump';
    return `jump of ${km.toFixed(3)} km in ${seconds} s from the previous position (${shown} > max_speed ${maxSpeed})`;
  };
}
