import type { ComponentChildren, FormHTMLAttributes, InputHTMLAttributes, PartialInputHTMLAttributes, TextareaHTMLAttributes } from 'preact';
import { ActionStatus, ErrorNote } from './components.js';
import type { Action } from './hooks.js';

/**
 * Form building blocks: every control has its `<label for>`; hints and errors sit under it with
 * ids the control can point at (`{id}-hint`, `{id}-err`).
 */
/** `double`: two columns of a `.form-grid` where it has two (a select with long options). */
type FieldWidth = 'narrow' | 'wide' | 'grow' | 'double';

/** A form the console handles itself: no page load, no browser validation bubbles (checked in code). */
export function Form({
  onSubmit,
  heading,
  headingId,
  children,
  ...rest
}: Omit<FormHTMLAttributes<HTMLFormElement>, 'onSubmit'> & { onSubmit(): unknown; heading?: string; headingId?: string }) {
  return (
    <form
      noValidate
      {...rest}
      aria-labelledby={heading ? headingId : rest['aria-labelledby']}
      onSubmit={(e) => {
        e.preventDefault();
        void onSubmit();
      }}
    >
      {heading ? <h2 id={headingId}>{heading}</h2> : null}
      {children}
    </form>
  );
}

/** A labelled control (the child) with an optional hint and error text under it. */
export function Field(p: {
  id: string;
  label: ComponentChildren;
  required?: boolean;
  width?: FieldWidth;
  hint?: string;
  error?: string;
  children: ComponentChildren;
}) {
  return (
    <div class={p.width ? `field ${p.width}` : 'field'}>
      <label for={p.id} class={p.required ? 'required' : undefined}>
        {p.label}
      </label>
      {p.children}
      {p.hint ? (
        <small class="hint" id={`${p.id}-hint`}>
          {p.hint}
        </small>
      ) : null}
      {p.error ? (
        <small class="field-error" id={`${p.id}-err`}>
          {p.error}
        </small>
      ) : null}
    </div>
  );
}

interface TextControl {
  readonly id: string;
  readonly label: string;
  readonly value: string;
  onValue(v: string): void;
  readonly width?: FieldWidth;
  readonly hint?: string;
}

type InputAttrs = Pick<
  PartialInputHTMLAttributes<HTMLInputElement>,
  'class' | 'min' | 'max' | 'step' | 'placeholder' | 'autocomplete' | 'spellcheck' | 'required' | 'aria-invalid' | 'aria-describedby'
> & {
  readonly type?: 'text' | 'number' | 'search' | 'url' | 'password' | 'datetime-local';
};

/** A labelled `<input>`; the other attributes go to the input. */
export function InputField({ id, label, value, onValue, width, hint, ...input }: TextControl & InputAttrs) {
  return (
    <Field id={id} label={label} width={width} hint={hint}>
      <input
        id={id}
        value={value}
        aria-describedby={hint ? `${id}-hint` : undefined}
        {...(input as InputHTMLAttributes)}
        onInput={(e) => onValue(e.currentTarget.value)}
      />
    </Field>
  );
}

/** A labelled `<textarea>` for JSON and other code (no spell checking). */
export function TextAreaField({
  id,
  label,
  value,
  onValue,
  width,
  hint,
  ...area
}: TextControl & Pick<TextareaHTMLAttributes<HTMLTextAreaElement>, 'rows' | 'aria-invalid'>) {
  return (
    <Field id={id} label={label} width={width} hint={hint}>
      <textarea id={id} spellcheck={false} value={value} {...area} onInput={(e) => onValue(e.currentTarget.value)} />
    </Field>
  );
}

/** A labelled `<select>` of the given `<option>`s. */
export function SelectField(p: TextControl & { children: ComponentChildren }) {
  return (
    <Field id={p.id} label={p.label} width={p.width} hint={p.hint}>
      <select id={p.id} value={p.value} onChange={(e) => p.onValue(e.currentTarget.value)}>
        {p.children}
      </select>
    </Field>
  );
}

/** A checkbox with its label after it. */
export function CheckField(p: { id: string; label: string; checked: boolean; onChange(v: boolean): void; error?: string }) {
  return (
    <div class="field field-check">
      <input id={p.id} type="checkbox" checked={p.checked} onChange={(e) => p.onChange(e.currentTarget.checked)} />
      <label for={p.id}>{p.label}</label>
      {p.error ? <small class="field-error">{p.error}</small> : null}
    </div>
  );
}

/**
 * The end of a form: the problem its own check found, the outcome of the action (with anything
 * else to say about it), and the submit button, disabled while the action runs.
 */
export function FormFooter(p: { action: Action; submit: string; primary?: boolean; problem?: string; feature?: string; children?: ComponentChildren }) {
  return (
    <>
      <ErrorNote>{p.problem}</ErrorNote>
      <ActionStatus action={p.action} feature={p.feature} />
      {p.children}
      <div class="actions">
        <button type="submit" class={p.primary === false ? undefined : 'primary'} disabled={p.action.busy}>
          {p.submit}
        </button>
      </div>
    </>
  );
}
