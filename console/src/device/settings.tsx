import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError } from '../api.js';
import { Badge, DataTable, ErrorNotice, Time } from '../components.js';
import { useApp } from '../context.js';
import { Form, FormFooter } from '../fields.js';
import { fmtValue } from '../format.js';
import { useAction, useLoad } from '../hooks.js';
import { SchemaForm, useSchemaValue } from '../schema/form.js';
import type { Device, DeviceType, SettingDefinition, SettingView } from '../types.js';

/** A desired or reported value with the time it was set. */
function ValueCell(p: { value: unknown; at: number | null | undefined }) {
  return (
    <td class="mono">
      {fmtValue(p.value)}
      {p.at ? (
        <div class="small muted">
          <Time ts={p.at} />
        </div>
      ) : null}
    </td>
  );
}

/**
 * Remote settings: desired vs reported per setting, with status (synced, pending, failed and its
 * reason). Editing validates against the setting's JSON Schema before `PUT settings/{name}`.
 */
export function SettingsTab(p: { device: Device; type: DeviceType | undefined }) {
  const { api } = useApp();
  const [editing, setEditing] = useState<string | undefined>();
  const data = useLoad(() => api.get<SettingView>(`/gw/devices/${p.device.id}/settings`), [api, p.device.id], 1500);
  const definitions = (p.type?.settings ?? []) as readonly SettingDefinition[];
  const unavailable = data.error instanceof ApiError && data.error.noRoute;
  const names = [...new Set([...definitions.map((d) => d.name), ...(data.data ?? []).map((s) => s.name)])];
  return (
    <div>
      <ErrorNotice error={data.error} feature="Remote settings" />
      {!p.type ? <p class="muted">This device has no device type yet, so its settings are unknown.</p> : null}
      <DataTable
        class="settings"
        columns={['Setting', 'Desired', 'Reported', 'Status']}
        actions
        rows={data.data ? names : undefined}
        empty="No settings."
        row={(name) => {
          const def = definitions.find((d) => d.name === name);
          const s = data.data?.find((x) => x.name === name);
          return (
            <Fragment key={name}>
              <tr data-setting={name}>
                <th scope="row">
                  <span class="mono">{name}</span>
                  {def ? <div class="muted small">{def.title}</div> : null}
                </th>
                <ValueCell value={s?.desired} at={s?.desired_at} />
                <ValueCell value={s?.reported} at={s?.reported_at} />
                <td>
                  {s ? (
                    <>
                      <Badge kind={s.status}>{s.status}</Badge>
                      {s.reason ? <div class="small reason">{s.reason}</div> : null}
                    </>
                  ) : (
                    <span class="muted">—</span>
                  )}
                </td>
                <td>
                  <button
                    type="button"
                    class="small-btn"
                    disabled={unavailable || !def}
                    aria-expanded={editing === name}
                    aria-label={`Edit ${name}`}
                    onClick={() => setEditing(editing === name ? undefined : name)}
                  >
                    {editing === name ? 'Close' : 'Edit'}
                  </button>
                </td>
              </tr>
              {editing === name && def ? (
                <tr class="edit-row">
                  <td colSpan={5}>
                    <EditSetting
                      device={p.device}
                      def={def}
                      current={s?.desired ?? s?.reported}
                      onSaved={() => {
                        setEditing(undefined);
                        data.reload();
                      }}
                    />
                  </td>
                </tr>
              ) : null}
            </Fragment>
          );
        }}
      />
    </div>
  );
}

function EditSetting(p: { device: Device; def: SettingDefinition; current: unknown; onSaved(): void }) {
  const { api } = useApp();
  const value = useSchemaValue(p.def.schema, p.current);
  const action = useAction();
  const save = async () => {
    if (!value.check()) return;
    const ok = await action.run(async () => {
      await api.put(`/gw/devices/${p.device.id}/settings/${encodeURIComponent(p.def.name)}`, { value: value.value });
      return `Desired ${p.def.name} set; it is pending until the device confirms.`;
    });
    if (ok) p.onSaved();
  };
  return (
    <Form class="inline-form" onSubmit={save} aria-label={`Edit ${p.def.name}`}>
      <SchemaForm
        json={false}
        schema={p.def.schema}
        value={value.value}
        onChange={value.onChange}
        label={`New value for ${p.def.name}`}
        required
        idBase={`setting-${p.def.name}`}
        issues={value.issues}
      />
      <FormFooter action={action} feature="Remote settings" problem={value.problem(`${p.def.name}: `)} submit="Save" />
    </Form>
  );
}
