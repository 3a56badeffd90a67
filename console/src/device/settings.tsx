import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError } from '../api.js';
import { ActionStatus, Badge, ErrorNotice, Time } from '../components.js';
import { useApp } from '../context.js';
import { fmtValue } from '../format.js';
import { useAction, useLoad } from '../hooks.js';
import { SchemaField } from '../schema/form.js';
import { asSchema, formatIssues, type SchemaIssue, validate } from '../schema/validate.js';
import type { Device, DeviceType, SettingDefinition, SettingView } from '../types.js';

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
      <div class="table-wrap">
        <table class="settings">
          <thead>
            <tr>
              <th scope="col">Setting</th>
              <th scope="col">Desired</th>
              <th scope="col">Reported</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {names.map((name) => {
              const def = definitions.find((d) => d.name === name);
              const s = data.data?.find((x) => x.name === name);
              return (
                <Fragment key={name}>
                  <tr data-setting={name}>
                    <th scope="row">
                      <span class="mono">{name}</span>
                      {def ? <div class="muted small">{def.title}</div> : null}
                    </th>
                    <td class="mono">
                      {fmtValue(s?.desired)}
                      {s?.desired_at ? (
                        <div class="small muted">
                          <Time ts={s.desired_at} />
                        </div>
                      ) : null}
                    </td>
                    <td class="mono">
                      {fmtValue(s?.reported)}
                      {s?.reported_at ? (
                        <div class="small muted">
                          <Time ts={s.reported_at} />
                        </div>
                      ) : null}
                    </td>
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
                      <button type="button" class="small-btn" disabled={unavailable || !def} aria-expanded={editing === name} aria-label={`Edit ${name}`} onClick={() => setEditing(editing === name ? undefined : name)}>
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
            })}
            {names.length === 0 && data.data ? (
              <tr>
                <td colSpan={5} class="muted">
                  No settings.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function EditSetting(p: { device: Device; def: SettingDefinition; current: unknown; onSaved(): void }) {
  const { api } = useApp();
  const [value, setValue] = useState<unknown>(p.current);
  const [issues, setIssues] = useState<SchemaIssue[]>([]);
  const action = useAction();
  const schema = asSchema(p.def.schema);
  const save = async (e: Event) => {
    e.preventDefault();
    const found = validate(schema, value);
    setIssues(found);
    if (found.length > 0) return;
    const ok = await action.run(async () => {
      await api.put(`/gw/devices/${p.device.id}/settings/${encodeURIComponent(p.def.name)}`, { value });
      return `Desired ${p.def.name} set; it is pending until the device confirms.`;
    });
    if (ok) p.onSaved();
  };
  return (
    <form class="inline-form" onSubmit={save} noValidate aria-label={`Edit ${p.def.name}`}>
      <SchemaField schema={schema} value={value} onChange={setValue} path="" label={`New value for ${p.def.name}`} required idBase={`setting-${p.def.name}`} issues={issues} />
      {issues.length > 0 ? (
        <div class="notice notice-error" role="alert">
          {p.def.name}: {formatIssues(issues)}
        </div>
      ) : null}
      <ActionStatus action={action} feature="Remote settings" />
      <div class="actions">
        <button type="submit" class="primary" disabled={action.busy}>
          Save
        </button>
      </div>
    </form>
  );
}
