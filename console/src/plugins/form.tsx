import { useState } from 'preact/hooks';
import { useApp } from '../context.js';
import { CheckField, Form, FormFooter, InputField, SelectField, TextAreaField } from '../fields.js';
import { useAction } from '../hooks.js';
import { fieldReason } from '../reason.js';
import type { Plugin, PluginType } from '../types.js';

/** The six types (API.md, Plugins), each with a starting configuration and what it does. */
export const PLUGIN_TEMPLATES: Readonly<Record<PluginType, { readonly configuration: object; readonly about: string }>> = {
  expression: {
    configuration: { parameter: 'engine.ignition.status', expression: 'external.powersource.voltage > 13.2' },
    about: 'Sets a parameter to the value of an expression.',
  },
  erase: { configuration: { parameters: ['gsm.*'] }, about: 'Removes parameters (* wildcards).' },
  static: { configuration: { parameters: { fleet: 'north' } }, about: 'Sets fixed parameters.' },
  geofence: { configuration: { geofences: 'all' }, about: 'Sets geofence.names and geofence.inside from the geofences (ids or "all").' },
  filter: { configuration: { expression: 'position.satellites >= 4' }, about: 'Drops a message for which the expression is false (counted and logged).' },
  sanity: { configuration: { max_speed: 250, drop_zero: true }, about: 'Drops 0/0 positions and jumps faster than max_speed km/h.' },
};
export const PLUGIN_TYPE_NAMES = Object.keys(PLUGIN_TEMPLATES) as PluginType[];

const pretty = (v: unknown) => JSON.stringify(v, null, 2);

/** Creates a plugin (no `plugin`) or edits one (its type stays; a new configuration replaces the old one). */
export function PluginForm(p: { plugin?: Plugin; onDone(saved?: Plugin): void }) {
  const { api } = useApp();
  const old = p.plugin;
  const [name, setName] = useState(old?.name ?? '');
  const [type, setType] = useState<PluginType>(old?.type ?? 'expression');
  const [config, setConfig] = useState(pretty(old?.configuration ?? PLUGIN_TEMPLATES.expression.configuration));
  const [enabled, setEnabled] = useState(old?.enabled ?? true);
  const [problem, setProblem] = useState<string | undefined>();
  const action = useAction();
  const retype = (t: string) => {
    const next = t as PluginType;
    setType(next);
    setConfig(pretty(PLUGIN_TEMPLATES[next].configuration));
  };
  const submit = async () => {
    let configuration: unknown;
    try {
      configuration = JSON.parse(config);
    } catch (err) {
      return setProblem(`Configuration is not JSON: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (!name.trim()) return setProblem('Name is required.');
    setProblem(undefined);
    let saved: Plugin | undefined;
    const ok = await action.run(async () => {
      [saved] = old
        ? await api.put<Plugin>(`/gw/plugins/${old.id}`, { name: name.trim(), configuration, enabled })
        : await api.post<Plugin>('/gw/plugins', [{ name: name.trim(), type, configuration, enabled }]);
    });
    if (ok) p.onDone(saved);
  };
  const reason = fieldReason(action.error);
  return (
    <Form class="card form-grid" onSubmit={submit} heading={old ? `Edit plugin ${old.name}` : 'New plugin'} headingId="plugin-form-title">
      <InputField id="plugin-name" label="Name" value={name} onValue={setName} />
      {old ? (
        <p class="field">
          Type <code>{old.type}</code>
        </p>
      ) : (
        <SelectField id="plugin-type" label="Type" value={type} onValue={retype} hint={PLUGIN_TEMPLATES[type].about}>
          {PLUGIN_TYPE_NAMES.map((t) => (
            <option value={t}>{t}</option>
          ))}
        </SelectField>
      )}
      <CheckField id="plugin-enabled" label="Enabled" checked={enabled} onChange={setEnabled} />
      <TextAreaField
        id="plugin-config"
        label="Configuration (JSON)"
        width="wide"
        rows={6}
        value={config}
        onValue={setConfig}
        aria-invalid={reason ? true : undefined}
      />
      {reason ? (
        <small class="field-error wide" id="plugin-config-err" data-testid="plugin-error">
          {reason.field}: {reason.text}
        </small>
      ) : null}
      <FormFooter action={{ ...action, error: reason ? undefined : action.error }} problem={problem} submit={old ? 'Save plugin' : 'Create plugin'}>
        <button type="button" onClick={() => p.onDone()}>
          Cancel
        </button>
      </FormFooter>
    </Form>
  );
}
