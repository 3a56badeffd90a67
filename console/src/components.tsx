import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, describeError } from './api.js';
import { ago, fmtTime } from './format.js';

export function Notice(p: { kind?: 'info' | 'error' | 'ok' | 'warn'; id?: string; children: ComponentChildren }) {
  const kind = p.kind ?? 'info';
  return (
    <div id={p.id} class={`notice notice-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {p.children}
    </div>
  );
}

/** A problem found in the console itself (a form check), as an alert; nothing when there is none. */
export function ErrorNote(p: { id?: string; children?: ComponentChildren }) {
  if (p.children === undefined || p.children === null || p.children === '' || p.children === false) return null;
  return (
    <Notice kind="error" id={p.id}>
      {p.children}
    </Notice>
  );
}

/** An error from the API, with a plain explanation for missing routes and ACL refusals. */
export function ErrorNotice(p: { error: unknown; feature?: string }) {
  if (p.error === undefined || p.error === null) return null;
  if (p.error instanceof ApiError && p.error.noRoute) {
    return (
      <Notice kind="warn">
        {p.feature ?? 'This feature'} is not available on this hub yet (<code>{p.error.message}</code>).
      </Notice>
    );
  }
  return <Notice kind="error">{describeError(p.error)}</Notice>;
}

export function ActionStatus(p: { action: { busy: boolean; error: unknown; message?: string }; feature?: string }) {
  if (p.action.error !== undefined) return <ErrorNotice error={p.action.error} feature={p.feature} />;
  if (p.action.message) return <Notice kind="ok">{p.action.message}</Notice>;
  return null;
}

export function Badge(p: { kind: string; children: ComponentChildren; title?: string }) {
  return (
    <span class={`badge badge-${p.kind}`} title={p.title}>
      {p.children}
    </span>
  );
}

export function Time(p: { ts: unknown }) {
  if (typeof p.ts !== 'number' || p.ts <= 0) return <span class="muted">—</span>;
  return (
    <time dateTime={new Date(p.ts * 1000).toISOString()} title={ago(p.ts)}>
      {fmtTime(p.ts)}
    </time>
  );
}

export function Ago(p: { ts: unknown }) {
  if (typeof p.ts !== 'number' || p.ts <= 0) return <span class="muted">never</span>;
  return (
    <time dateTime={new Date(p.ts * 1000).toISOString()} title={fmtTime(p.ts)}>
      {ago(p.ts)}
    </time>
  );
}

export interface ConfirmRequest {
  readonly title: string;
  readonly body: ComponentChildren;
  readonly confirm: string;
  readonly danger?: boolean;
}

/**
 * A modal confirmation on the native `<dialog>` (focus stays inside, Escape cancels).
 * `ask()` resolves true when confirmed.
 */
export function useConfirm(): [(r: ConfirmRequest) => Promise<boolean>, ComponentChildren] {
  const [req, setReq] = useState<(ConfirmRequest & { resolve(v: boolean): void }) | undefined>();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (req && d && !d.open) d.showModal();
  }, [req]);
  const close = (v: boolean) => {
    ref.current?.close();
    req?.resolve(v);
    setReq(undefined);
  };
  const ask = (r: ConfirmRequest) => new Promise<boolean>((resolve) => setReq({ ...r, resolve }));
  const node = req ? (
    <dialog
      ref={ref}
      class="confirm"
      aria-labelledby="confirm-title"
      onCancel={(e) => {
        e.preventDefault();
        close(false);
      }}
    >
      <h2 id="confirm-title">{req.title}</h2>
      <div class="confirm-body">{req.body}</div>
      <div class="actions">
        <button type="button" autofocus onClick={() => close(false)}>
          Cancel
        </button>
        <button type="button" class={req.danger ? 'danger' : 'primary'} onClick={() => close(true)}>
          {req.confirm}
        </button>
      </div>
    </dialog>
  ) : null;
  return [ask, node];
}

/** A button that asks first (see `useConfirm`) and runs `onConfirm` only when confirmed. */
export function ConfirmButton(p: {
  ask: ConfirmRequest;
  onConfirm(): unknown;
  class?: string;
  label?: string;
  disabled?: boolean;
  children: ComponentChildren;
}) {
  const [ask, dialog] = useConfirm();
  const click = async () => {
    if (await ask(p.ask)) await p.onConfirm();
  };
  return (
    <>
      <button type="button" class={p.class} aria-label={p.label} disabled={p.disabled} onClick={click}>
        {p.children}
      </button>
      {dialog}
    </>
  );
}

export interface DataTableProps<T> {
  /** Class of the `<table>` (styles and tests select on it). */
  readonly class?: string;
  /** Column headings. */
  readonly columns: readonly string[];
  /** Adds a last column for row buttons, its heading read by screen readers only. */
  readonly actions?: boolean;
  /** The rows; undefined while they load (no empty-state row then). */
  readonly rows: readonly T[] | undefined;
  /** One item's `<tr>` (with its key). */
  readonly row: (item: T, index: number) => ComponentChildren;
  /** Shown in one full-width row when `rows` is empty; no such row without it. */
  readonly empty?: ComponentChildren;
  /** A load error shown above the table, with the feature's name for missing routes. */
  readonly error?: unknown;
  readonly feature?: string;
}

/** A table with column headings, its load error and an empty state, scrolling sideways on small screens. */
export function DataTable<T>(p: DataTableProps<T>) {
  const span = p.columns.length + (p.actions ? 1 : 0);
  return (
    <>
      <ErrorNotice error={p.error} feature={p.feature} />
      <div class="table-wrap">
        <table class={p.class}>
          <thead>
            <tr>
              {p.columns.map((c) => (
                <th key={c} scope="col">
                  {c}
                </th>
              ))}
              {p.actions ? (
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {(p.rows ?? []).map((item, i) => p.row(item, i))}
            {p.rows && p.rows.length === 0 && p.empty !== undefined ? (
              <tr>
                <td colSpan={span} class="muted">
                  {p.empty}
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
    </>
  );
}

/**
 * A top-level page: a section labelled by its heading and, with `create`, a button that opens and
 * closes the page's "new …" form (shown under `intro`, above the rest).
 */
export function PageSection(p: {
  id: string;
  title: string;
  create?: { label: string; form: ComponentChildren; disabled?: boolean; controls?: string };
  intro?: ComponentChildren;
  children: ComponentChildren;
}) {
  const [open, setOpen] = useState(false);
  const titleId = `${p.id}-title`;
  const heading = <h1 id={titleId}>{p.title}</h1>;
  return (
    <section aria-labelledby={titleId}>
      {p.create ? (
        <div class="page-head">
          {heading}
          <button
            type="button"
            class="primary"
            aria-expanded={open}
            aria-controls={p.create.controls}
            disabled={p.create.disabled}
            onClick={() => setOpen(!open)}
          >
            {open ? 'Close form' : p.create.label}
          </button>
        </div>
      ) : (
        heading
      )}
      {p.intro}
      {open ? p.create?.form : null}
      {p.children}
    </section>
  );
}

/** A row of controls above a list; with `onRefresh`, a Refresh button at its end. */
export function Toolbar(p: { onRefresh?: () => void; children: ComponentChildren }) {
  return (
    <div class="toolbar">
      {p.children}
      {p.onRefresh ? (
        <button type="button" onClick={p.onRefresh}>
          Refresh
        </button>
      ) : null}
    </div>
  );
}

/** A navigation list; the current entry is marked for assistive technology and styles. */
export function NavLinks(p: { label: string; class?: string; links: readonly { href: string; label: string; current: boolean }[] }) {
  return (
    <nav class={p.class} aria-label={p.label}>
      <ul>
        {p.links.map((l) => (
          <li key={l.href}>
            <a href={l.href} aria-current={l.current ? 'page' : undefined}>
              {l.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** JSON shown collapsed in a `<details>` (keyboard: Enter/Space on the summary). */
export function JsonDetails(p: { summary: ComponentChildren; value: unknown; open?: boolean }) {
  return (
    <details class="json" open={p.open}>
      <summary>{p.summary}</summary>
      <pre>{JSON.stringify(p.value, null, 2)}</pre>
    </details>
  );
}
