import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { ValidationError } from '../../../core/errors.js';
import {
  type CompiledExpression,
  compileExpression,
  type EvalContext,
  ExpressionError,
  isLegacyFilter,
  MAX_DEPTH,
  MAX_LENGTH,
  type Value,
} from '../../../core/expressions/index.js';
import type { Message } from '../../../protocols/common/types.js';
import { parseFilter } from '../../helpers/legacy-filter.js';

const M: Message = {
  'position.speed': 90,
  'position.latitude': 54.6872,
  'position.longitude': 25.2797,
  'engine.ignition.status': true,
  'movement.status': false,
  name: 'truck 7',
  din: 0,
  a: 10,
  b: 3,
  'a-b': 100,
  '#n': 4,
  s5: '5',
  empty: '',
  nothing: null,
  list: [1, 2],
  constructor: 'own',
};

const compile = (text: string): CompiledExpression => compileExpression(text, 'filter');
const ev = (text: string, ctx: Partial<EvalContext> = {}): Value => compile(text).evaluate({ message: M, ...ctx });
const errorOf = (text: string): string => {
  try {
    compile(text);
  } catch (e) {
    expect(e).toBeInstanceOf(ExpressionError);
    return (e as Error).message;
  }
  throw new Error(`"${text}" compiled`);
};

describe('core/expressions', () => {
  describe('literals and names', () => {
    it.each<[string, Value]>([
      ['42', 42],
      ['2.5', 2.5],
      ['1e3', 1000],
      ['2.5E-1', 0.25],
      ['.5', 0.5],
      ['007', 7],
      ["'text'", 'text'],
      ['"text"', 'text'],
      [String.raw`'it\'s'`, "it's"],
      [String.raw`"say \"hi\""`, 'say "hi"'],
      [String.raw`'back\\slash'`, 'back\\slash'],
      [`'a "b"'`, 'a "b"'],
      ["''", ''],
      ['true', true],
      ['false', false],
      ['null', null],
      ['position.speed', 90],
      ['a-b', 100],
      ['a - b', 7],
      ['#n', 4],
      ['missing.name', null],
      ['constructor', 'own'],
      ['toString', null],
      ['__proto__', null],
      ['list', [1, 2]],
    ])('%s → %j', (text, want) => {
      expect(ev(text)).toEqual(want);
    });

    it('reads inherited names only as own parameters', () => {
      expect(compile('hasOwnProperty').evaluate({ message: {} })).toBe(null);
      expect(compile('valueOf == 1').evaluate({ message: { valueOf: 1 } })).toBe(true);
    });
  });

  describe('operators and precedence', () => {
    it.each<[string, Value]>([
      ['1 + 2 * 3', 7],
      ['(1 + 2) * 3', 9],
      ['2 * 3 + 4 * 5', 26],
      ['10 - 4 - 3', 3],
      ['100 / 10 / 5', 2],
      ['10 / 4', 2.5],
      ['7 % 4', 3],
      ['-7 % 3', -1],
      ['2 * 3 % 4', 2],
      ['-2 * -3', 6],
      ['1 - -1', 2],
      ['-(2 + 3)', -5],
      ['-a + 1', -9],
      ['- s5', -5],
      ['!true', false],
      ['!!1', true],
      ['!0', true],
      ['!0 == 1', false],
      ['1 < 2', true],
      ['2 <= 2', true],
      ['3 > 2', true],
      ['2 >= 3', false],
      ['1 != 2', true],
      ['1 + 1 == 2', true],
      ['2 + 3 < 6', true],
      ['1 < 2 == true', true],
      ['1 == 1 && 2 == 3', false],
      ['1 == 2 || 2 == 2', true],
      ['true || false && false', true],
      ['(true || false) && false', false],
      ['1 || 0', true],
      ["'x' && 2", true],
      ['a > b && b > 0', true],
      ['a + b * 2', 16],
      ["'a' + 'b'", 'ab'],
      ["'5' + '2'", '52'],
      ["'5' + 1", 6],
      ["1 + '5'", 6],
      ["'x' + 1", null],
      ["'5' - '2'", 3],
      ['s5 * 2', 10],
      ['true + 1', null],
      ['1 / 0', null],
      ['0 / 0', null],
      ['1 % 0', null],
      ['1e308 * 10', null],
    ])('%s → %j', (text, want) => {
      expect(ev(text)).toEqual(want);
    });

    it.each<[string, boolean]>([
      ["'abc' < 'abd'", true],
      ["'b' > 'abc'", true],
      ["'10' < '9'", true],
      ["10 < '9'", false],
      ['s5 == 5', true],
      ["'5.0' == 5", true],
      ["'x' == 5", false],
      ["'x' != 5", true],
      ["'x' < 5", false],
      ["'x' >= 5", false],
      ['true == 1', false],
      ['true == true', true],
      ['engine.ignition.status != false', true],
      ["name == 'truck 7'", true],
      ["name != 'truck 7'", false],
      ['true > false', false],
      ['list == list', true],
      ['list < list', false],
    ])('compares %s → %s', (text, want) => {
      expect(ev(text)).toBe(want);
    });

    it('short-circuits && and ||', () => {
      const inside = vi.fn(() => true);
      const ctx = { message: M, insideGeofence: inside };
      expect(compile("false && geofence('g')").evaluate(ctx)).toBe(false);
      expect(compile("true || geofence('g')").evaluate(ctx)).toBe(true);
      expect(inside).not.toHaveBeenCalled();
      expect(compile("true && geofence('g')").evaluate(ctx)).toBe(true);
      expect(inside).toHaveBeenCalledTimes(1);
    });

    it('keeps long flat chains flat (no nesting limit, no stack trouble)', () => {
      const text = Array.from({ length: 2048 }, () => 'a').join('+');
      expect(text.length).toBe(4095);
      expect(ev(text)).toBe(20480);
    });
  });

  describe('null rules', () => {
    it.each<[string, Value]>([
      ['x', null],
      ['x == null', false],
      ['x != null', false],
      ['null == null', false],
      ['nothing == null', false],
      ['x == 1', false],
      ['x != 1', false],
      ['x < 1', false],
      ['x <= 1', false],
      ['x > 1', false],
      ['x >= 1', false],
      ['x + 1', null],
      ["x + 'a'", null],
      ['x * 2', null],
      ['x / 1', null],
      ['-x', null],
      ['!x', true],
      ['x && true', false],
      ['x || true', true],
      ["exists('x')", false],
      ["!exists('x')", true],
      ["exists('nothing')", false],
    ])('%s → %j', (text, want) => {
      expect(ev(text)).toEqual(want);
    });
  });

  describe('conditions', () => {
    it.each<[string, boolean]>([
      ['false', false],
      ['null', false],
      ['0', false],
      ["''", false],
      ['empty', false],
      ['din', false],
      ['movement.status', false],
      ['true', true],
      ['1', true],
      ['-1', true],
      ['0.1', true],
      ["'0'", true],
      ["'false'", true],
      ['list', true],
      ['engine.ignition.status', true],
    ])('test(%s) → %s', (text, want) => {
      expect(compile(text).test({ message: M })).toBe(want);
    });

    it('treats NaN as false', () => {
      expect(compile('v').test({ message: { v: Number.NaN } })).toBe(false);
    });
  });

  describe('functions', () => {
    const metadata = { plate: 'AB123', fuel: { capacity: 60, sensor: { offset: 2 } }, 'a.b': 1, a: { b: 2 }, tags: ['x', 7], nested: { x: { y: null } } };
    const previous: Message = { 'position.speed': 50, 'position.latitude': 54.6, 'position.longitude': 25.2 };

    it.each<[string, Value]>([
      ['if(true, 1, 2)', 1],
      ['if(0, 1, 2)', 2],
      ['if(x, 1, 2)', 2],
      ["if(name, 'named', 'anon')", 'named'],
      ["exists('name')", true],
      ["exists('din')", true],
      ["exists('x')", false],
      ["exists('toString')", false],
      ["exists('constructor')", true],
      ['abs(-3)', 3],
      ["abs('-2')", 2],
      ['abs(x)', null],
      ["abs('a')", null],
      ['abs(true)', null],
      ['round(2.5)', 3],
      ['round(-2.5)', -3],
      ['round(2.4)', 2],
      ['round(-0.4)', 0],
      ['round(1.005, 2)', 1.01],
      ['round(1234.5678, 2)', 1234.57],
      ['round(1250, -2)', 1300],
      ['round(1.5, 16)', null],
      ['round(1.5, 0.5)', null],
      ['round(x)', null],
      ['round(1e300, 10)', null],
      ['floor(2.7)', 2],
      ['floor(-2.1)', -3],
      ['ceil(2.1)', 3],
      ['ceil(-2.7)', -2],
      ['min(3, 1, 2)', 1],
      ['max(3, 1, 2)', 3],
      ["max('4', 2)", 4],
      ['min(1, x)', null],
      ['sqrt(16)', 4],
      ['sqrt(-1)', null],
      ["strlen('abc')", 3],
      ["strlen('')", 0],
      ['strlen(12.5)', 4],
      ['strlen(x)', null],
      ["substring('hello', 1)", 'ello'],
      ["substring('hello', 1, 3)", 'ell'],
      ["substring('hello', -3)", 'llo'],
      ["substring('hello', 1, -1)", ''],
      ["substring('hello', 10)", ''],
      ['substring(12345, 1, 2)', '23'],
      ['substring(x, 1)', null],
      ["substring('hello', x)", null],
      ['tostring(12.5)', '12.5'],
      ['tostring(true)', 'true'],
      ["tostring('s')", 's'],
      ['tostring(list)', '[1,2]'],
      ['tostring(x)', null],
      ["tonumber('12.5')", 12.5],
      ["tonumber(' 7 ')", 7],
      ["tonumber('0x10')", null],
      ["tonumber('abc')", null],
      ['tonumber(true)', 1],
      ['tonumber(false)', 0],
      ['tonumber(7)', 7],
      ['distance(91, 0, 0, 0)', null],
      ['distance(x, 0, 0, 0)', null],
      ['distance(1, 2, 1, 2)', 0],
    ])('%s → %j', (text, want) => {
      expect(ev(text)).toEqual(want);
    });

    it('distance: great-circle km on the mean-radius sphere', () => {
      expect(ev('distance(0, 0, 0, 1)')).toBeCloseTo(111.19508, 5);
      expect(ev('distance(0, 0, 0, 180)')).toBeCloseTo(20015.1144, 3);
      // Vilnius → Warsaw
      expect(ev('distance(54.6872, 25.2797, 52.2297, 21.0122)')).toBeCloseTo(392.93, 2);
      expect(ev("distance(position.latitude, position.longitude, previous('position.latitude'), previous('position.longitude'))", { previous })).toBeCloseTo(
        10.969,
        3,
      );
    });

    it.each<[string, Value]>([
      ["metadata('plate')", 'AB123'],
      ["metadata('fuel.capacity')", 60],
      ["metadata('fuel.sensor.offset')", 2],
      ["metadata('fuel')", null],
      ["metadata('fuel.nope')", null],
      ["metadata('plate.x')", null],
      ["metadata('a.b')", 1],
      ["metadata('tags')", ['x', 7]],
      ["metadata('nested.x.y')", null],
      ["metadata('toString')", null],
      ["metadata('fuel.capacity') / 2", 30],
    ])('%s → %j (with metadata)', (text, want) => {
      expect(ev(text, { metadata })).toEqual(want);
    });

    it('metadata and previous are null without them', () => {
      expect(ev("metadata('plate')")).toBe(null);
      expect(ev("previous('position.speed')")).toBe(null);
      expect(ev("previous('position.speed') < position.speed")).toBe(false);
    });

    it('previous reads the previous message', () => {
      expect(ev("previous('position.speed')", { previous })).toBe(50);
      expect(ev("position.speed - previous('position.speed')", { previous })).toBe(40);
      expect(ev("previous('name')", { previous })).toBe(null);
    });

    it("geofence asks the caller with the message's position", () => {
      const inside = vi.fn((name: string, lat: number, lon: number) => name === 'depot' && lat > 54 && lon > 25);
      const expr = compile("geofence('depot') && !geofence('yard')");
      expect(expr.evaluate({ message: M, insideGeofence: inside })).toBe(true);
      expect(inside.mock.calls).toEqual([
        ['depot', 54.6872, 25.2797],
        ['yard', 54.6872, 25.2797],
      ]);
      expect(expr.evaluate({ message: M })).toBe(false);
      expect(expr.evaluate({ message: { 'position.latitude': 54.7 }, insideGeofence: inside })).toBe(false);
      expect(
        compile("geofence('depot')").evaluate({
          message: M,
          insideGeofence: () => {
            throw new Error('store down');
          },
        }),
      ).toBe(false);
    });

    it('if evaluates only the chosen branch', () => {
      const inside = vi.fn(() => true);
      expect(compile("if(false, geofence('g'), 1)").evaluate({ message: M, insideGeofence: inside })).toBe(1);
      expect(inside).not.toHaveBeenCalled();
    });

    it.each([
      ['if(1, 2)', "filter: 'if' takes 3 arguments at 0"],
      ['if(1, 2, 3, 4)', "filter: 'if' takes 3 arguments at 0"],
      ['exists()', "filter: 'exists' takes 1 argument at 0"],
      ["exists('a', 'b')", "filter: 'exists' takes 1 argument at 0"],
      ['abs()', "filter: 'abs' takes 1 argument at 0"],
      ['abs(1, 2)', "filter: 'abs' takes 1 argument at 0"],
      ['x + round()', "filter: 'round' takes 1 or 2 arguments at 4"],
      ['round(1, 2, 3)', "filter: 'round' takes 1 or 2 arguments at 0"],
      ['floor()', "filter: 'floor' takes 1 argument at 0"],
      ['ceil(1, 2)', "filter: 'ceil' takes 1 argument at 0"],
      ['min(1)', "filter: 'min' takes 2 or more arguments at 0"],
      ['max()', "filter: 'max' takes 2 or more arguments at 0"],
      ['sqrt()', "filter: 'sqrt' takes 1 argument at 0"],
      ['metadata()', "filter: 'metadata' takes 1 argument at 0"],
      ["previous('a', 'b')", "filter: 'previous' takes 1 argument at 0"],
      ['distance(1, 2, 3)', "filter: 'distance' takes 4 arguments at 0"],
      ['geofence()', "filter: 'geofence' takes 1 argument at 0"],
      ['strlen()', "filter: 'strlen' takes 1 argument at 0"],
      ["substring('a')", "filter: 'substring' takes 2 or 3 arguments at 0"],
      ["substring('a', 1, 2, 3)", "filter: 'substring' takes 2 or 3 arguments at 0"],
      ['tostring()', "filter: 'tostring' takes 1 argument at 0"],
      ['tonumber(1, 2)', "filter: 'tonumber' takes 1 argument at 0"],
      ['foo(1)', "filter: unknown function 'foo' at 0"],
      ['1 + constructor(1)', "filter: unknown function 'constructor' at 4"],
      ['exists(name)', "filter: 'exists' needs a quoted parameter name at 7"],
      ["exists('a' + 'b')", "filter: 'exists' needs a quoted parameter name at 7"],
      ['previous(1)', "filter: 'previous' needs a quoted parameter name at 9"],
      ["metadata(tostring('k'))", "filter: 'metadata' needs a quoted metadata key at 9"],
      ['geofence(name)', "filter: 'geofence' needs a quoted geofence name at 9"],
    ])('refuses %s', (text, message) => {
      expect(errorOf(text)).toBe(message);
    });
  });

  describe('errors', () => {
    it.each([
      ['', 'filter: expected an expression at 0'],
      ['position.speed > ', 'filter: expected an expression at 17'],
      ['(a + b))', "filter: unexpected ')' at 7"],
      ['(a + b', "filter: expected ')' at 6"],
      ['a + * b', "filter: unexpected '*' at 4"],
      ['a b', "filter: unexpected 'b' at 2"],
      ["a 'b'", 'filter: unexpected string at 2'],
      ["'abc", 'filter: unterminated string at 0'],
      ["name == 'abc", 'filter: unterminated string at 8'],
      ["name == 'abc\\", 'filter: unterminated string at 8'],
      [String.raw`a == 'x\q'`, String.raw`filter: invalid escape '\q' (only \' \" \\) at 7`],
      ['max(1,)', "filter: unexpected ')' at 6"],
      ['max(1 2)', "filter: unexpected '2' at 6"],
      ['x > 3abc + 1', "filter: invalid number '3abc' at 4"],
      ['x + 1.2.3', "filter: invalid number '1.2.3' at 4"],
      ['a = 1 +', "filter: unexpected '=' (use '==') at 2"],
      ['a & b', "filter: unexpected '&' (use '&&') at 2"],
      ['a | b', "filter: unexpected '|' (use '||') at 2"],
      ['a $ b', "filter: unexpected character '$' at 2"],
      ['a\u0000', 'filter: unexpected character U+0000 at 1'],
      ['1e999', "filter: number out of range '1e999' at 0"],
      ['!', 'filter: expected an expression at 1'],
      [')', "filter: unexpected ')' at 0"],
      [',', "filter: unexpected ',' at 0"],
    ])('%j → %s', (text, message) => {
      expect(errorOf(text)).toBe(message);
    });

    it('is a ValidationError (HTTP 400) with the position and the caller’s word', () => {
      let err: unknown;
      try {
        compileExpression('speed > 80 && (din == 1))', 'validate_message');
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ValidationError);
      expect(err).toBeInstanceOf(ExpressionError);
      expect((err as ExpressionError).status).toBe(400);
      expect((err as ExpressionError).position).toBe(24);
      expect((err as ExpressionError).name).toBe('ExpressionError');
      expect((err as Error).message).toBe("validate_message: unexpected ')' at 24");
      expect(() => compileExpression('(')).toThrow('expression: expected an expression at 1');
    });

    it('limits the nesting to 64 levels and the length to 4096 characters', () => {
      expect([MAX_DEPTH, MAX_LENGTH]).toEqual([64, 4096]);
      const parens = (n: number) => `${'('.repeat(n)}a${')'.repeat(n)}`;
      expect(ev(parens(64))).toBe(10);
      expect(errorOf(parens(65))).toBe('filter: nested deeper than 64 levels at 64');
      expect(errorOf(parens(100_000))).toBe('filter: longer than 4096 characters at 4096');
      expect(ev(`${'!'.repeat(64)}a`)).toBe(true);
      expect(errorOf(`${'!'.repeat(65)}a`)).toBe('filter: nested deeper than 64 levels at 64');
      expect(errorOf(`${'abs('.repeat(65)}1${')'.repeat(65)}`)).toBe('filter: nested deeper than 64 levels at 259');
      expect(errorOf(`${'-'.repeat(2000)}1`)).toBe('filter: nested deeper than 64 levels at 64');
      expect(ev(`1${' '.repeat(4095)}`)).toBe(1);
      expect(errorOf(`1${' '.repeat(4096)}`)).toBe('filter: longer than 4096 characters at 4096');
    });
  });

  describe('uses lists', () => {
    it('names what the expression reads, once each, in order', () => {
      const e = compile(
        "position.speed > 80 && exists('alarm.type') && previous('position.speed') < position.speed && metadata('fuel.capacity') > 0 && geofence('depot') || geofence('depot') && previous('position.speed') > 0",
      );
      expect(e.names).toEqual(['position.speed', 'alarm.type', 'position.latitude', 'position.longitude']);
      expect(e.usesPrevious).toEqual(['position.speed']);
      expect(e.usesMetadata).toEqual(['fuel.capacity']);
      expect(e.usesGeofences).toEqual(['depot']);
      expect(Object.isFrozen(e.names)).toBe(true);
    });

    it('is empty for constants', () => {
      const e = compile('1 + 2');
      expect([e.names, e.usesPrevious, e.usesMetadata, e.usesGeofences]).toEqual([[], [], [], []]);
    });
  });

  describe('legacy filters', () => {
    it.each([
      ['position.speed>80&&engine.ignition.status=true', true],
      ['ident=3521*', true],
      ['name=truck', true],
      ['name = "truck 7"', true],
      ['missing=null', true],
      ['a,b', true],
      ['speed>80,din==1', true],
      ["name=='truck*'", true],
      ['x==a:b', true],
      ['x!=+7', true],
      ['x==-abc', true],
      ['x==5.', true],
      ['1wire.temp>5', true],
      ['a == b', false],
      ['name==truck', false],
      ['position.speed>80', false],
      ['speed>80&&din!=1', false],
      ['!engine.ignition.status', false],
      ['x', false],
      ['5 > 3', false],
      ['true', false],
      ['-5', false],
      ['a==.5', false],
      ["name == 'truck'", false],
      ['round(x) > 1', false],
      ['a = 1 +', false],
      ['a == b || c', false],
      ['!a=1', false],
      ['a=', false],
      ['', false],
    ])('%j is legacy: %s', (text, want) => {
      expect(isLegacyFilter(text)).toBe(want);
    });

    it.each<[string, boolean]>([
      ['position.speed>80&&engine.ignition.status=true', true],
      ['name=truck*', true],
      ['name=*7', true],
      ['name=bus*', false],
      ['name="truck 7"', true],
      ["name='truck 7',din=0", true],
      ['position.speed="90"', true],
      ['engine.ignition.status="true"', true],
      ['list="1,2"', true], // the old split refused this one at the comma; a quoted value is one token now
      ['missing=null', true],
      ['nothing=null', true],
      ['missing!=1,din=0', true],
      ['din,a=10', true],
      ['!missing,a=10', true],
      ['!din,a=10', false],
      ['s5>1,a=10', false],
      ['x=3521*', false],
      ['position.speed>=90,a=10', true],
    ])('%s → %s with the old rules', (text, want) => {
      const e = compile(text);
      expect(e.test({ message: M })).toBe(want);
      expect(e.evaluate({ message: M })).toBe(want);
    });

    it('matches the string form of numbers with wildcards, and names the parameters', () => {
      const e = compile('ident=3521*,position.speed>80');
      expect(e.test({ message: { ident: 352100123, 'position.speed': 81 } })).toBe(true);
      expect(e.test({ message: { ident: '452100123', 'position.speed': 81 } })).toBe(false);
      expect(e.names).toEqual(['ident', 'position.speed']);
      expect(e.usesPrevious).toEqual([]);
      // as before, `*` does not match a line break
      expect(compile('note=a*').test({ message: { note: 'a\nb' } })).toBe(false);
      expect(compile('note=a*').test({ message: { note: 'a b' } })).toBe(true);
    });

    it('refuses an old comparison with a non-number, naming the value', () => {
      expect(errorOf('a=1,speed>fast')).toBe("filter: '>' needs a number at 10");
    });
  });

  describe('fuzz', () => {
    const NAMES = ['a', 'b', 'position.speed', 'x-y', '#n', '_u', 'constructor', '__proto__', 'toString', 'list'];
    const VOCABULARY = [
      ...NAMES,
      ...['0', '1', '2.5', '1e3', '.5', '-1', "'s'", '"t"', String.raw`'a\'b'`, 'true', 'false', 'null', "'5'", "''"],
      ...['!', '-', '+', '*', '/', '%', '<', '<=', '>', '>=', '==', '!=', '&&', '||', '=', ',', '(', ')', '(', ')', '&', '|'],
      ...['if', 'exists', 'abs', 'round', 'floor', 'ceil', 'min', 'max', 'sqrt', 'metadata', 'previous', 'distance', 'geofence'],
      ...['strlen', 'substring', 'tostring', 'tonumber', 'foo', '$', '"', "'", '\\', '*'],
    ];
    const soup = fc
      .array(fc.tuple(fc.constantFrom(...VOCABULARY), fc.constantFrom('', ' ')), { maxLength: 30 })
      .map((parts) => parts.map(([t, sep]) => t + sep).join(''));
    const alphabet = fc.constantFrom(...'abe.#-_019 ()!=<>&|+-*/%,\'"\\'.split(''));
    const scalar = fc.oneof(
      fc.double(),
      fc.integer({ min: -100, max: 100 }),
      fc.string({ maxLength: 6 }),
      fc.constantFrom('5', '1e3', ' 7 ', 'abc', '', 'truck 7'),
      fc.boolean(),
      fc.constant(null),
    );
    const value = fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }), fc.constantFrom(undefined, Number.POSITIVE_INFINITY, Number.NaN, -0));
    const message = fc
      .array(fc.tuple(fc.constantFrom(...NAMES, 'position.latitude', 'position.longitude'), value), { maxLength: 8 })
      .map((e) => Object.fromEntries(e) as Message);
    const context = fc.record({
      message,
      previous: fc.option(message, { nil: undefined }),
      metadata: fc.option(fc.dictionary(fc.constantFrom('k', 'fuel', 'a.b'), fc.jsonValue({ maxDepth: 2 })), { nil: undefined }),
      insideGeofence: fc.constantFrom(
        undefined,
        () => true,
        () => {
          throw new Error('boom');
        },
      ),
    });

    const isValue = (v: unknown): boolean => v === null || ['boolean', 'string', 'number'].includes(typeof v) || (Array.isArray(v) && v.every(isValue));
    const asCondition = (v: Value): boolean => v !== false && v !== null && v !== 0 && v !== '' && !Number.isNaN(v);

    /** Compiles (true) or refuses with an ExpressionError whose position lies within the text (false); a compiled one evaluates to values. */
    const check = (text: string, contexts: EvalContext[]): boolean => {
      let expr: CompiledExpression;
      try {
        expr = compileExpression(text, 'f');
      } catch (e) {
        expect(e).toBeInstanceOf(ExpressionError);
        const err = e as ExpressionError;
        expect(err.message).toBe(`f: ${err.problem} at ${err.position}`);
        expect(err.position).toBeGreaterThanOrEqual(0);
        expect(err.position).toBeLessThanOrEqual(Math.min(text.length, 4096));
        return false;
      }
      for (const ctx of contexts) {
        const v = expr.evaluate(ctx);
        expect(isValue(v)).toBe(true);
        expect(expr.test(ctx)).toBe(asCondition(v));
      }
      return true;
    };

    it('token soup compiles or throws an ExpressionError, and evaluation never throws', () => {
      fc.assert(
        fc.property(soup, fc.array(context, { maxLength: 4 }), (text, contexts) => {
          check(text, contexts);
        }),
        { numRuns: 2000 },
      );
    });

    it('random expression trees (every operator and function, right and wrong arities) compile or refuse, and evaluate to values', () => {
      const atom = fc.constantFrom(...NAMES, 'position.latitude', '0', '1', '-2.5', '1e3', "'s'", "'5'", "''", 'true', 'false', 'null');
      const binary = ['+', '-', '*', '/', '%', '<', '<=', '>', '>=', '==', '!=', '&&', '||'];
      const functions = ['if', 'abs', 'round', 'floor', 'ceil', 'min', 'max', 'sqrt', 'distance', 'strlen', 'substring', 'tostring', 'tonumber'];
      const { expr } = fc.letrec<{ expr: string }>((tie) => ({
        expr: fc.oneof(
          { depthSize: 'small' },
          atom,
          fc.tuple(fc.constantFrom('!', '-'), tie('expr')).map(([o, e]) => `${o}${e}`),
          fc.tuple(tie('expr'), fc.constantFrom(...binary), tie('expr')).map(([l, o, r]) => `${l} ${o} ${r}`),
          tie('expr').map((e) => `(${e})`),
          fc.tuple(fc.constantFrom(...functions), fc.array(tie('expr'), { maxLength: 4 })).map(([f, args]) => `${f}(${args.join(', ')})`),
          fc
            .tuple(fc.constantFrom('exists', 'previous', 'metadata', 'geofence'), fc.constantFrom("'a'", "'position.speed'", "'k'", "'fuel'", "'a.b'"))
            .map(([f, a]) => `${f}(${a})`),
        ),
      }));
      let compiled = 0;
      fc.assert(
        fc.property(expr, fc.array(context, { minLength: 1, maxLength: 4 }), (text, contexts) => {
          if (check(text, contexts)) compiled++;
        }),
        { numRuns: 2000 },
      );
      expect(compiled).toBeGreaterThan(500);
    });

    it('random strings compile or throw an ExpressionError', () => {
      fc.assert(
        fc.property(
          fc.oneof(fc.string({ unit: alphabet, maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 })),
          fc.array(context, { maxLength: 2 }),
          (text, contexts) => {
            check(text, contexts);
          },
        ),
        { numRuns: 2000 },
      );
    });
  });

  describe('old filters', () => {
    const NAMES = ['a', 'b.c', 'speed', 'x-1', 'n#2', '_u'];
    const name = fc.constantFrom(...NAMES, '1wire');
    const ws = fc.constantFrom('', ' ');
    const bare = fc.stringMatching(/^[A-Za-z0-9_.*:#+-]{1,6}$/);
    const quoted = fc.tuple(fc.stringMatching(/^[A-Za-z0-9 *_.-]{0,6}$/), fc.constantFrom('"', "'")).map(([s, q]) => `${q}${s}${q}`);
    const number = fc.oneof(fc.integer({ min: -5, max: 100 }).map(String), fc.constantFrom('2.5', '-0.5', '1e2', '0'));
    const literal = fc.oneof(number, fc.constantFrom('true', 'false', 'null'), bare, quoted, fc.constantFrom('3521*', 'truck', '*7', '5'));
    const op = fc.constantFrom('=', '==', '!=', '>', '>=', '<', '<=');
    const clause = fc.oneof(
      name,
      name.map((n) => `!${n}`),
      fc.tuple(name, ws, op, ws, literal).map((p) => p.join('')),
      fc.tuple(name, ws, op, ws, literal).map((p) => p.join('')),
    );
    const filter = fc
      .tuple(clause, fc.array(fc.tuple(fc.constantFrom('&&', ',', ' && ', ', '), clause), { maxLength: 3 }))
      .map(([first, rest]) => first + rest.map(([sep, c]) => sep + c).join(''));
    const scalar = fc.oneof(
      fc.integer({ min: -5, max: 100 }),
      fc.constantFrom(2.5, -0.5, 0, 352100123, 1e2),
      fc.constantFrom('5', 'truck', 'truck 7', '3521', '352100', '', 'true', 'null', '2.5', 'a\nb'),
      fc.string({ maxLength: 4 }),
      fc.boolean(),
      fc.constant(null),
    );
    const message = fc
      .array(fc.tuple(fc.constantFrom(...NAMES, '1wire'), fc.oneof(scalar, fc.array(scalar, { maxLength: 2 }))), { maxLength: 7 })
      .map((e) => Object.fromEntries(e) as Message);

    it('mostly produce texts that use an old-only feature (so the property below has cases)', () => {
      const sample = fc.sample(filter, { numRuns: 1000, seed: 42 });
      expect(sample.filter(isLegacyFilter).length).toBeGreaterThan(600);
    });

    it('legacy texts give the same result as the old parseFilter (or both refuse)', () => {
      fc.assert(
        fc.property(filter, fc.array(message, { minLength: 1, maxLength: 6 }), (text, messages) => {
          fc.pre(isLegacyFilter(text));
          let old: ((m: Message) => boolean) | undefined;
          try {
            old = parseFilter(text);
          } catch {
            expect(() => compile(text)).toThrow(ExpressionError);
            return;
          }
          const expr = compile(text);
          for (const m of messages) {
            expect(expr.test({ message: m })).toBe(old(m));
            expect(expr.evaluate({ message: m })).toBe(old(m));
          }
        }),
        { numRuns: 2000 },
      );
    });

    it('old numeric filters without old-only features mean the same as expressions', () => {
      const numeric = fc
        .array(
          fc.oneof(
            fc.constantFrom(...NAMES),
            fc.constantFrom(...NAMES).map((n) => `!${n}`),
            fc.tuple(fc.constantFrom(...NAMES), ws, fc.constantFrom('==', '!=', '>', '>=', '<', '<='), ws, number).map((p) => p.join('')),
          ),
          { minLength: 1, maxLength: 4 },
        )
        .map((cs) => cs.join('&&'));
      const full = fc.tuple(
        ...NAMES.map(() =>
          fc.oneof(
            fc.integer({ min: -5, max: 100 }).filter((n) => n !== 0),
            fc.constantFrom(2.5, -0.5, 100),
          ),
        ),
      );
      fc.assert(
        fc.property(numeric, full, (text, values) => {
          const m: Message = Object.fromEntries(NAMES.map((n, i) => [n, values[i]]));
          expect(isLegacyFilter(text)).toBe(false);
          expect(compile(text).test({ message: m })).toBe(parseFilter(text)(m));
        }),
        { numRuns: 2000 },
      );
    });
  });
});
