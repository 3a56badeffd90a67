import { useState } from 'preact/hooks';
import { CheckField, Field, SelectField } from '../fields.js';
import { splitList } from '../format.js';
import { asSchema, branchesOf, describeType, formatIssues, join, type Schema, type SchemaIssue, typeFits, validate } from './validate.js';

/**
 * A form generated from a JSON Schema: objects become fieldsets, strings and numbers inputs,
 * enums selects, booleans checkboxes, unions a "form" selector, lists comma-separated text, and
 * anything else JSON text. Every control has a label; issues show under the field they concern.
 */
export interface FieldProps {
  readonly schema: Schema;
  readonly value: unknown;
  readonly onChange: (v: unknown) => void;
  /** Path of the value (`param`, `params.10000`); '' for the root. */
  readonly path: string;
  readonly label: string;
  readonly required?: boolean;
  /** Prefix for element ids (unique per form). */
  readonly idBase: string;
  readonly issues: readonly SchemaIssue[];
}

const PRIMITIVES = new Set(['string', 'integer', 'number', 'boolean']);

function types(s: Schema): string[] {
  const b = branchesOf(s);
  if (b) return b.flatMap(types);
  if (Array.isArray(s.type)) return s.type as string[];
  return typeof s.type === 'string' ? [s.type] : [];
}

function isPrimitive(s: Schema): boolean {
  const t = types(s);
  return t.length > 0 && t.every((x) => PRIMITIVES.has(x)) && s.enum === undefined;
}

export function fieldId(idBase: string, path: string): string {
  return `${idBase}-${path.replace(/[^A-Za-z0-9_-]+/g, '_') || 'value'}`;
}

/** A starting value for a schema: `{}` for objects, `[]` for lists, nothing otherwise. */
export function defaultFor(schemaIn: unknown): unknown {
  const s = asSchema(schemaIn);
  if (s.default !== undefined) return s.default;
  const b = branchesOf(s);
  if (b) return defaultFor(b[0]);
  if (s.type === 'object') return {};
  return undefined;
}

/** Text typed into an input, turned into the JSON value the schema most likely wants. */
export function coerce(text: string, s: Schema): unknown {
  if (text === '') return undefined;
  const t = types(s);
  const numeric = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text.trim());
  const wantsNumber = t.includes('integer') || t.includes('number');
  if (t.includes('string')) {
    const stringBranches = (branchesOf(s) ?? [s]).filter((b) => types(b).includes('string'));
    if (stringBranches.some((b) => validate(b, text).length === 0)) return text;
    return numeric && wantsNumber ? Number(text) : text;
  }
  if (numeric && wantsNumber) return Number(text);
  if (t.includes('boolean') && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}

/** The issues' messages as one text ('' when there are none). */
function messages(issues: readonly SchemaIssue[]): string {
  return issues.map((i) => i.message).join('; ');
}

function describedBy(id: string, hint: string | undefined, issues: readonly SchemaIssue[]): string | undefined {
  const ids = [hint ? `${id}-hint` : '', issues.length > 0 ? `${id}-err` : ''].filter(Boolean).join(' ');
  return ids || undefined;
}

function hintFor(s: Schema): string | undefined {
  const parts: string[] = [];
  const desc = (s.description ?? s.title) as string | undefined;
  if (desc) parts.push(desc);
  const all = branchesOf(s) ?? [s];
  for (const b of all) {
    if (typeof b.pattern === 'string') parts.push(`pattern ${b.pattern}`);
    if (typeof b.minimum === 'number' || typeof b.maximum === 'number') parts.push(`${describeType(b)} ${b.minimum ?? '…'}–${b.maximum ?? '…'}`);
    if (typeof b.maxLength === 'number') parts.push(`up to ${b.maxLength} characters`);
  }
  return parts.length > 0 ? parts.join(' · ') : undefined;
}

function SchemaField(p: FieldProps) {
  const s = p.schema;
  const own = p.issues.filter((i) => i.path === p.path);
  const id = fieldId(p.idBase, p.path);
  const branches = branchesOf(s);
  if (branches && !isPrimitive(s)) return <VariantField {...p} branches={branches} />;
  if (Array.isArray(s.enum)) {
    const options = s.enum as unknown[];
    const current = options.findIndex((o) => JSON.stringify(o) === JSON.stringify(p.value));
    return (
      <Field id={id} label={p.label} required={p.required} hint={hintFor(s)} error={messages(own)}>
        <select
          id={id}
          value={current < 0 ? '' : String(current)}
          aria-invalid={own.length > 0}
          aria-describedby={describedBy(id, hintFor(s), own)}
          onChange={(e) => p.onChange(e.currentTarget.value === '' ? undefined : options[Number(e.currentTarget.value)])}
        >
          <option value="">—</option>
          {options.map((o, i) => (
            <option value={String(i)}>{typeof o === 'string' ? o : JSON.stringify(o)}</option>
          ))}
        </select>
      </Field>
    );
  }
  const t = types(s);
  if (t.length === 1 && t[0] === 'boolean') {
    return <CheckField id={id} label={p.label} checked={p.value === true} onChange={p.onChange} error={messages(own)} />;
  }
  if (isPrimitive(s)) {
    const onlyNumber = t.every((x) => x === 'integer' || x === 'number');
    const hint = hintFor(s);
    return (
      <Field id={id} label={p.label} required={p.required} hint={hint} error={messages(own)}>
        <input
          id={id}
          {...(onlyNumber ? { type: 'number' as const, inputMode: 'numeric' as const, step: t.includes('number') ? 'any' : '1' } : { type: 'text' as const })}
          value={p.value === undefined || p.value === null ? '' : String(p.value)}
          aria-invalid={own.length > 0}
          aria-required={p.required}
          aria-describedby={describedBy(id, hint, own)}
          autocomplete="off"
          onInput={(e) => p.onChange(coerce(e.currentTarget.value, s))}
        />
      </Field>
    );
  }
  if (t.length === 1 && t[0] === 'array' && isPrimitive(asSchema(s.items))) return <ListField {...p} />;
  if (t.length === 1 && t[0] === 'object' && s.properties && typeof s.properties === 'object') return <ObjectField {...p} />;
  return <JsonField {...p} />;
}

function ObjectField(p: FieldProps) {
  const props = asSchema(p.schema.properties);
  const required = new Set(Array.isArray(p.schema.required) ? (p.schema.required as string[]) : []);
  const obj = p.value && typeof p.value === 'object' && !Array.isArray(p.value) ? (p.value as Record<string, unknown>) : {};
  const keys = Object.keys(props);
  const own = p.issues.filter((i) => i.path === p.path);
  const body =
    keys.length === 0 ? (
      <p class="muted">No properties.</p>
    ) : (
      keys.map((k) => (
        <SchemaField
          key={k}
          schema={asSchema(props[k])}
          value={obj[k]}
          path={join(p.path, k)}
          label={k}
          required={required.has(k)}
          idBase={p.idBase}
          issues={p.issues}
          onChange={(v) => {
            const next = { ...obj };
            if (v === undefined) delete next[k];
            else next[k] = v;
            p.onChange(next);
          }}
        />
      ))
    );
  const errors =
    own.length > 0 ? (
      <small class="field-error" role="alert">
        {messages(own)}
      </small>
    ) : null;
  if (p.path === '')
    return (
      <div class="fields">
        {body}
        {errors}
      </div>
    );
  return (
    <fieldset class="fields">
      <legend>{p.label}</legend>
      {body}
      {errors}
    </fieldset>
  );
}

function branchLabel(b: Schema, i: number): string {
  if (typeof b.title === 'string') return b.title;
  if (b.type === 'object' && Array.isArray(b.required) && b.required.length > 0) return (b.required as string[]).join(' + ');
  if (b.type === 'array') return 'list';
  const d = describeType(b);
  return d === 'a value' ? `form ${i + 1}` : d;
}

function VariantField(p: FieldProps & { branches: Schema[] }) {
  const initial = Math.max(
    0,
    p.branches.findIndex((b) => typeFits(b, p.value) && validate(b, p.value).length === 0),
    p.value === undefined ? 0 : p.branches.findIndex((b) => typeFits(b, p.value)),
  );
  const [chosen, setChosen] = useState(initial);
  const id = `${fieldId(p.idBase, p.path)}-form`;
  const branch = p.branches[Math.min(chosen, p.branches.length - 1)];
  return (
    <div class="variant">
      <SelectField
        id={id}
        label={p.path ? `${p.label}: form` : 'Form'}
        value={String(chosen)}
        onValue={(v) => {
          const i = Number(v);
          setChosen(i);
          p.onChange(defaultFor(p.branches[i]));
        }}
      >
        {p.branches.map((b, i) => (
          <option value={String(i)}>{branchLabel(b, i)}</option>
        ))}
      </SelectField>
      <SchemaField {...p} schema={branch} />
    </div>
  );
}

function ListField(p: FieldProps) {
  const items = asSchema(p.schema.items);
  const id = fieldId(p.idBase, p.path);
  const own = p.issues.filter((i) => i.path === p.path || i.path.startsWith(`${p.path}[`));
  const [text, setText] = useState(Array.isArray(p.value) ? p.value.join(', ') : '');
  const hint = `comma-separated${hintFor(items) ? ` · each ${hintFor(items)}` : ''}`;
  return (
    <Field id={id} label={p.label} required={p.required} hint={hint} error={messages(own)}>
      <input
        id={id}
        type="text"
        value={text}
        autocomplete="off"
        aria-invalid={own.length > 0}
        aria-required={p.required}
        aria-describedby={describedBy(id, hint, own)}
        onInput={(e) => {
          const v = e.currentTarget.value;
          setText(v);
          const parts = splitList(v);
          p.onChange(parts.length === 0 ? undefined : parts.map((x) => coerce(x, items)));
        }}
      />
    </Field>
  );
}

function JsonField(p: FieldProps) {
  const id = `${fieldId(p.idBase, p.path)}-json`;
  const [text, setText] = useState(p.value === undefined ? '' : JSON.stringify(p.value, null, 1));
  const [bad, setBad] = useState<string | undefined>();
  const own = [
    ...p.issues.filter((i) => i.path === p.path || (p.path === '' ? true : i.path.startsWith(p.path))),
    ...(bad ? [{ path: p.path, message: bad }] : []),
  ];
  return (
    <Field id={id} label={`${p.label} (JSON)`} required={p.required} hint={hintFor(p.schema)} error={messages(own)}>
      <textarea
        id={id}
        rows={4}
        spellcheck={false}
        value={text}
        aria-invalid={own.length > 0}
        onInput={(e) => {
          const v = e.currentTarget.value;
          setText(v);
          if (v.trim() === '') {
            setBad(undefined);
            p.onChange(undefined);
            return;
          }
          try {
            p.onChange(JSON.parse(v));
            setBad(undefined);
          } catch {
            setBad('not valid JSON');
          }
        }}
      />
    </Field>
  );
}

/**
 * The value of a schema, generated as fields from the root down; with `json` (the default) a
 * checkbox turns it into JSON text (for power users).
 */
export function SchemaForm(p: {
  schema: unknown;
  value: unknown;
  onChange: (v: unknown) => void;
  idBase: string;
  issues: readonly SchemaIssue[];
  label?: string;
  required?: boolean;
  json?: boolean;
}) {
  const [raw, setRaw] = useState(false);
  const common = {
    schema: asSchema(p.schema),
    value: p.value,
    onChange: p.onChange,
    path: '',
    label: p.label ?? 'Value',
    required: p.required,
    idBase: p.idBase,
    issues: p.issues,
  };
  if (p.json === false) return <SchemaField {...common} />;
  return (
    <div class="schema-form">
      {raw ? <JsonField key="json" {...common} /> : <SchemaField key="form" {...common} />}
      <CheckField id={`${p.idBase}-raw`} label="Edit as JSON" checked={raw} onChange={setRaw} />
    </div>
  );
}

/**
 * A value edited against a JSON Schema and checked before it is sent: `check` shows the issues
 * and says whether there are none; `reset` replaces the value from outside (new fields: use
 * `generation` as the form's key).
 */
export function useSchemaValue(schema: unknown, initial: unknown) {
  const [value, setValue] = useState(initial);
  const [issues, setIssues] = useState<SchemaIssue[]>([]);
  const [generation, setGeneration] = useState(0);
  const check = (v: unknown = value): boolean => {
    const found = validate(schema, v);
    setIssues(found);
    return found.length === 0;
  };
  const reset = (v: unknown) => {
    setValue(v);
    setIssues([]);
    setGeneration((g) => g + 1);
  };
  /** The issues as one alert text after `prefix`; undefined when there are none. */
  const problem = (prefix: string) => (issues.length > 0 ? `${prefix}${formatIssues(issues)}` : undefined);
  return { value, onChange: setValue, issues, check, reset, generation, problem };
}
