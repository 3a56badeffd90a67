import { describe, expect, it } from 'vitest';
import { ExpressionError } from '../../../core/expressions/index.js';
import { GeofenceIndex } from '../../../core/geofences/index.js';
import { applyPlugins, type CompiledPlugin, compilePlugin } from '../../../core/plugins/index.js';
import type { Geofence } from '../../../core/schemas/geofences.js';
import type { Plugin } from '../../../core/schemas/plugins.js';
import type { Message } from '../../../protocols/common/types.js';

let nextId = 1;
const plugin = (type: Plugin['type'], configuration: Record<string, unknown>, name = `${type} plugin`): CompiledPlugin =>
  compilePlugin({ id: nextId++, name, type, configuration });

const MESSAGE: Message = {
  ident: '356307042441013',
  timestamp: 1_700_000_060,
  'device.id': 7,
  'position.latitude': 54.6872,
  'position.longitude': 25.2797,
  'position.speed': 57,
  'external.powersource.voltage': 13.8,
  'gsm.signal.level': 4,
  'gsm.operator.code': 24601,
  'io.77': 5,
};

const geofence = (id: number, name: string, lat: number, lon: number, radius: number, priority = 0): Geofence => ({
  id,
  name,
  geometry: { type: 'circle', center: { lat, lon }, radius },
  priority,
  enabled: true,
  metadata: {},
});

describe('plugins', () => {
  describe('applyPlugins', () => {
    it('leaves the message as it is with an empty chain', () => {
      expect(applyPlugins([], MESSAGE, {})).toEqual({ message: MESSAGE });
    });

    it('does not change the message it was given', () => {
      const before = { ...MESSAGE };
      applyPlugins([plugin('erase', { parameters: ['gsm.*'] }), plugin('static', { parameters: { fleet: 'north' } })], MESSAGE, {});
      expect(MESSAGE).toEqual(before);
    });

    it('applies plugins in order: each sees what the one before it left', () => {
      const setFleet = plugin('static', { parameters: { fleet: 'north' } });
      const label = plugin('expression', { parameter: 'label', expression: "if(exists('fleet'), fleet + '-' + tostring(io.77), 'none')" });
      expect(applyPlugins([setFleet, label], MESSAGE, {}).message?.label).toBe('north-5');
      expect(applyPlugins([label, setFleet], MESSAGE, {}).message?.label).toBe('none');
    });

    it('stops at the first plugin that drops, naming it and its reason', () => {
      const keep = plugin('static', { parameters: { a: 1 } });
      const slow = plugin('filter', { expression: 'position.speed < 50' }, 'slow only');
      const after = plugin('static', { parameters: { b: 2 } });
      expect(applyPlugins([keep, slow, after], MESSAGE, {})).toEqual({
        dropped: { plugin_id: slow.id, plugin: 'filter', plugin_name: 'slow only', reason: 'expression is false: position.speed < 50' },
      });
    });
  });

  describe('expression', () => {
    it('sets the computed parameter (API.md example)', () => {
      const p = plugin('expression', { parameter: 'engine.ignition.status', expression: 'external.powersource.voltage > 13.2' });
      expect(applyPlugins([p], MESSAGE, {}).message?.['engine.ignition.status']).toBe(true);
      expect(applyPlugins([p], { ...MESSAGE, 'external.powersource.voltage': 12.1 }, {}).message?.['engine.ignition.status']).toBe(false);
    });

    it('leaves the parameter unset when the value is null', () => {
      const p = plugin('expression', { parameter: 'kmh2', expression: 'missing.value * 2' });
      expect(applyPlugins([p], MESSAGE, {}).message).toEqual(MESSAGE);
    });

    it('reads the previous message, metadata and geofences', () => {
      const p = plugin('expression', {
        parameter: 'summary',
        expression: "tostring(position.speed - previous('position.speed')) + '/' + metadata('fleet.name') + '/' + tostring(geofence('old town'))",
      });
      expect(p.needsPrevious).toBe(true);
      expect(p.needsGeofences).toBe(true);
      const index = new GeofenceIndex([geofence(1, 'old town', 54.6872, 25.2797, 1)]);
      const out = applyPlugins([p], MESSAGE, { previous: { 'position.speed': 50 }, metadata: { fleet: { name: 'north' } }, geofences: index });
      expect(out.message?.summary).toBe('7/north/true');
    });

    it('refuses a bad expression at compile time with the position, and a reserved parameter', () => {
      expect(() => plugin('expression', { parameter: 'x', expression: 'a + )' })).toThrow(new ExpressionError('configuration.expression', "unexpected ')'", 4));
      expect(() => plugin('expression', { parameter: 'timestamp', expression: '1' })).toThrow(
        'configuration.parameter: is set by the hub and cannot be changed by a plugin',
      );
    });
  });

  describe('erase', () => {
    it('removes exact names and * patterns, never the names the hub sets', () => {
      const p = plugin('erase', { parameters: ['gsm.*', 'io.77', 'ident', 'device.*', 'nothing'] });
      const { message } = applyPlugins([p], MESSAGE, {});
      expect(message).toEqual({
        ident: '356307042441013',
        timestamp: 1_700_000_060,
        'device.id': 7,
        'position.latitude': 54.6872,
        'position.longitude': 25.2797,
        'position.speed': 57,
        'external.powersource.voltage': 13.8,
      });
    });
  });

  describe('static', () => {
    it('sets the given parameters, overwriting decoded ones', () => {
      const p = plugin('static', { parameters: { fleet: 'north', 'position.speed': 0, tags: ['a', 'b'], nothing: null } });
      const { message } = applyPlugins([p], MESSAGE, {});
      expect(message).toEqual({ ...MESSAGE, fleet: 'north', 'position.speed': 0, tags: ['a', 'b'], nothing: null });
    });
  });

  describe('geofence', () => {
    const index = new GeofenceIndex([
      geofence(1, 'city', 54.6872, 25.2797, 10),
      geofence(2, 'old town', 54.6872, 25.2797, 1, 5),
      geofence(3, 'airport', 54.6341, 25.2858, 2),
    ]);

    it('sets geofence.names (by priority) and geofence.inside for all geofences', () => {
      const { message } = applyPlugins([plugin('geofence', { geofences: 'all' })], MESSAGE, { geofences: index });
      expect(message?.['geofence.names']).toEqual(['old town', 'city']);
      expect(message?.['geofence.inside']).toBe(true);
    });

    it('looks only at the listed geofences', () => {
      const { message } = applyPlugins([plugin('geofence', { geofences: [1, 3] })], MESSAGE, { geofences: index });
      expect(message?.['geofence.names']).toEqual(['city']);
      const outside = applyPlugins([plugin('geofence', { geofences: [3] })], MESSAGE, { geofences: index }).message;
      expect(outside?.['geofence.names']).toEqual([]);
      expect(outside?.['geofence.inside']).toBe(false);
    });

    it('leaves a message without a position untouched', () => {
      const { 'position.latitude': _a, 'position.longitude': _b, ...noFix } = MESSAGE;
      expect(applyPlugins([plugin('geofence', { geofences: 'all' })], noFix, { geofences: index }).message).toEqual(noFix);
    });
  });

  describe('filter', () => {
    it('keeps messages for which the expression is true, drops the others', () => {
      const p = plugin('filter', { expression: "position.speed > 50 && !exists('alarm.type')" });
      expect(applyPlugins([p], MESSAGE, {}).message).toEqual(MESSAGE);
      expect(applyPlugins([p], { ...MESSAGE, 'alarm.type': 'sos' }, {}).dropped?.reason).toBe(
        "expression is false: position.speed > 50 && !exists('alarm.type')",
      );
    });
  });

  describe('sanity', () => {
    const previous: Message = { timestamp: 1_700_000_000, 'position.latitude': 54.6872, 'position.longitude': 25.2797 };

    it('drops 0/0 positions (drop_zero defaults to true)', () => {
      const p = plugin('sanity', {});
      expect(applyPlugins([p], { ...MESSAGE, 'position.latitude': 0, 'position.longitude': 0 }, {}).dropped?.reason).toBe('position 0/0');
      expect(applyPlugins([plugin('sanity', { drop_zero: false })], { ...MESSAGE, 'position.latitude': 0, 'position.longitude': 0 }, {}).message).toBeDefined();
    });

    it('drops a jump faster than max_speed from the previous position, keeps a plausible one', () => {
      const p = plugin('sanity', { max_speed: 200 });
      expect(p.needsPrevious).toBe(true);
      // 0.1° of latitude north in 60 s: 11.119508 km → 667 km/h
      const jump = { ...MESSAGE, 'position.latitude': 54.7872 };
      expect(applyPlugins([p], jump, { previous }).dropped).toEqual({
        plugin_id: p.id,
        plugin: 'sanity',
        plugin_name: 'sanity plugin',
        reason: 'jump of 11.120 km in 60 s from the previous position (667 km/h > max_speed 200)',
      });
      // 0.002° in 60 s: 0.222 km → 13 km/h
      expect(applyPlugins([p], { ...MESSAGE, 'position.latitude': 54.6892 }, { previous }).message).toBeDefined();
    });

    it('passes messages without a previous position or without a position', () => {
      const p = plugin('sanity', { max_speed: 1 });
      expect(applyPlugins([p], { ...MESSAGE, 'position.latitude': 10 }, {}).message).toBeDefined();
      expect(applyPlugins([p], { timestamp: 1_700_000_100, din: 1 }, { previous }).message).toEqual({ timestamp: 1_700_000_100, din: 1 });
    });

    it('treats a move at the same timestamp as an instant jump', () => {
      const p = plugin('sanity', { max_speed: 1000 });
      const same = { ...previous, 'position.latitude': 54.69 };
      expect(applyPlugins([p], same, { previous }).dropped?.reason).toMatch(/in 0 s from the previous position \(an instant jump > max_speed 1000\)$/);
      expect(applyPlugins([p], { ...previous }, { previous }).message).toBeDefined();
    });
  });

  describe('compilePlugin', () => {
    it.each([
      ['erase', { parameters: [] }, 'configuration.parameters: '],
      ['static', { parameters: {} }, 'configuration.parameters: between 1 and 100 parameters'],
      ['geofence', { geofences: [] }, 'configuration.geofences: '],
      ['sanity', { max_speed: -1 }, 'configuration.max_speed: '],
      ['filter', { expression: 'nope(1)' }, "configuration.expression: unknown function 'nope' at 0"],
      ['filter', { expression: 'x', extra: 1 }, 'configuration: unknown field(s) "extra"'],
    ] as const)('refuses a bad %s configuration naming the field', (type, configuration, reason) => {
      expect(() => plugin(type, configuration)).toThrow(reason);
    });
  });
});
