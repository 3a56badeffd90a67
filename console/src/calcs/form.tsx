import { useState } from 'preact/hooks';
import { useApp } from '../context.js';
import { Form, FormFooter, SelectField, TextAreaField } from '../fields.js';
import { useAction, useLoad } from '../hooks.js';
import { fieldReason } from '../reason.js';
import type { Calc, Geofence } from '../types.js';
import { RECIPE_LABELS, RECIPES, type Recipe, recipeBody } from './recipes.js';

const pretty = (v: unknown) => JSON.stringify(v, null, 2);

/** What a stored calculator's JSON editor starts with: the fields a PUT takes. */
function editable(c: Calc): object {
  const { id: _id, ...rest } = c;
  return rest;
}

/** Creates a calculator from a recipe (which fills the JSON) or from raw JSON; edits one as JSON. */
export function CalcForm(p: { calc?: Calc; onDone(saved?: Calc): void }) {
  const { api } = useApp();
  const geofences = useLoad(() => api.list<Geofence>('/gw/geofences/all'), [api]);
  const [recipe, setRecipe] = useState<Recipe>('trips-ignition');
  const [fence, setFence] = useState('');
  const [json, setJson] = useState(pretty(p.calc ? editable(p.calc) : recipeBody('trips-ignition')));
  const [problem, setProblem] = useState<string | undefined>();
  const action = useAction();
  const fill = (r: Recipe, f: string) => {
    setRecipe(r);
    setFence(f);
    const ids = f ? [Number(f)] : (geofences.data ?? []).slice(0, 1).map((g) => g.id);
    setJson(pretty(recipeBody(r, ids)));
    setProblem(undefined);
  };
  const submit = async () => {
    let body: unknown;
    try {
      body = JSON.parse(json);
    } catch (err) {
      return setProblem(`Not JSON: ${err instanceof Error ? err.message : String(err)}`);
    }
    setProblem(undefined);
    let saved: Calc | undefined;
    const ok = await action.run(async () => {
      [saved] = p.calc ? await api.put<Calc>(`/gw/calcs/${p.calc.id}`, body) : await api.post<Calc>('/gw/calcs', [body]);
    });
    if (ok) p.onDone(saved);
  };
  const reason = fieldReason(action.error);
  return (
    <Form class="card form-grid" onSubmit={submit} heading={p.calc ? `Edit calculator ${p.calc.name}` : 'New calculator'} headingId="calc-form-title">
      {p.calc ? null : (
        <>
          <SelectField id="calc-recipe" label="Recipe" value={recipe} onValue={(v) => fill(v as Recipe, fence)} width="double">
            {RECIPES.map((r) => (
              <option value={r}>{RECIPE_LABELS[r]}</option>
            ))}
          </SelectField>
          {recipe === 'geofence-visits' ? (
            <SelectField id="calc-geofence" label="Geofence" value={fence} onValue={(v) => fill(recipe, v)}>
              <option value="">— the first —</option>
              {(geofences.data ?? []).map((g) => (
                <option value={String(g.id)}>{g.name}</option>
              ))}
            </SelectField>
          ) : null}
        </>
      )}
      <TextAreaField id="calc-json" label="Calculator (JSON)" width="wide" rows={14} value={json} onValue={setJson} aria-invalid={reason ? true : undefined} />
      {reason ? (
        <small class="field-error wide" data-testid="calc-error">
          {reason.field}: {reason.text}
        </small>
      ) : null}
      <FormFooter
        action={{ ...action, error: reason ? undefined : action.error }}
        feature="Calculators"
        problem={problem}
        submit={p.calc ? 'Save calculator' : 'Create calculator'}
      >
        <button type="button" onClick={() => p.onDone()}>
          Cancel
        </button>
      </FormFooter>
    </Form>
  );
}
