import { z } from 'zod';
import type { ErrorField } from '../domain/errors.js';
import { html, humanize, type Html } from './html.js';

/*
 * Action and start forms generated from each body's zod schema (its JSON Schema) and, where the schema only says
 * "a key", from the policy and catalogues (criteria, review items, Annex III areas...). Nested objects are
 * fieldsets, arrays of objects are rows with Add and Remove buttons that post the form back (so they work without
 * JavaScript). Controls are named by their path (`proposal.successMetrics.0.target`), the path the API's errors
 * name, so each error lands beside its control. Submitted forms are turned back into the body the JSON API takes
 * and the route's own schema parses it: a form can never send what the API would not accept.
 */

interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  format?: string;
  default?: unknown;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  description?: string;
  required?: string[];
}

/** A choice the policy or a catalogue offers, with its own words. */
export interface Choice {
  value: string;
  label?: string;
  help?: string;
}

/**
 * What the page knows that the schema does not, by schema path: the path without array indices and with `*` for a
 * record's key (`assessment.evidence.item`, `selfAssessment.*.met`).
 */
export interface FormContext {
  /**
   * Record fields (e.g. `rulings`, `selfAssessment`) → the keys the policy or the process asks about; where they
   * differ per key of the enclosing record (a dimension's criteria), a list per that key.
   */
  recordKeys: Record<string, RecordKeys>;
  /** Choices for a top-level `role` field: the seats I may take. */
  roles: string[];
  /** Choices the policy or a catalogue gives a free-text field or list (an architecture review's `trigger`, Annex III areas). */
  choices?: Record<string, (string | Choice)[]>;
}

type RecordKeys = string[] | Record<string, string[]>;

interface Base {
  name: string;
  /** Schema path (see FormContext). */
  path: string;
  description?: string;
  required: boolean;
  default?: unknown;
}
type Field =
  | (Base & { kind: 'text' | 'date' | 'lines' | 'numbers' | 'number' | 'boolean' })
  | (Base & { kind: 'choice' | 'choices'; options: Choice[] })
  | (Base & { kind: 'object'; fields: Field[] })
  | (Base & { kind: 'rows'; item: Field })
  | (Base & { kind: 'record'; keys: RecordKeys; item: Field });

/** A record's keys where it stands: its own, or those given for the enclosing record's key (its name's last part). */
const keysAt = (keys: RecordKeys, name: string) => (Array.isArray(keys) ? keys : (keys[name.slice(name.lastIndexOf('.') + 1)] ?? []));

/** Form fields that are not the body's: the CSRF token and the row buttons. */
const ADD = '_add';
const REMOVE = '_remove';
const ROWS = '_rows';
/** Past this many options a choice is a drop-down, not a column of radio buttons. */
const MAX_RADIOS = 8;

const schemas = new WeakMap<z.ZodType, JsonSchema>();
function jsonSchemaOf(body: z.ZodType): JsonSchema {
  let s = schemas.get(body);
  if (!s) schemas.set(body, (s = z.toJSONSchema(body, { io: 'input', unrepresentable: 'any' }) as JsonSchema));
  return s;
}

const typeOf = (s: JsonSchema) => (Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type);
const asChoices = (list: (string | Choice)[]) => list.map((c) => (typeof c === 'string' ? { value: c } : c));
const join = (path: string, name: string) => (path ? `${path}.${name}` : name);

/** The control for one schema node, or null when it has none (a required one makes the whole form null). */
function fieldOf(s: JsonSchema, name: string, path: string, required: boolean, ctx: FormContext): Field | null {
  const base: Base = { name, path, description: s.description, required, default: s.default };
  const type = typeOf(s);
  const given = ctx.choices?.[path];
  if (path === 'role' && ctx.roles.length) return { ...base, kind: 'choice', options: asChoices(ctx.roles) };
  if (type === 'array') {
    const items = s.items ?? {};
    if (given || items.enum) return { ...base, kind: 'choices', options: asChoices(given ?? items.enum!.map(String)) };
    if (typeOf(items) === 'string') return { ...base, kind: 'lines' };
    if (typeOf(items) === 'number' || typeOf(items) === 'integer') return { ...base, kind: 'numbers' };
    const item = typeOf(items) === 'object' ? fieldOf(items, name, path, true, ctx) : null;
    return item ? { ...base, kind: 'rows', item } : null;
  }
  if (given || s.enum) return { ...base, kind: 'choice', options: asChoices(given ?? s.enum!.map(String)) };
  if (type === 'object' && s.properties) {
    const required = new Set(s.required ?? []);
    const fields: Field[] = [];
    for (const [child, cs] of Object.entries(s.properties)) {
      const f = fieldOf(cs, child, join(path, child), required.has(child), ctx);
      if (f) fields.push(f);
      else if (required.has(child)) return null;
      // An optional part without a generic control is left out; the JSON API takes it.
    }
    return { ...base, kind: 'object', fields };
  }
  if (type === 'object' && typeof s.additionalProperties === 'object' && ctx.recordKeys[path]) {
    // Each key is one the policy asks about: not optional.
    const item = fieldOf(s.additionalProperties, '*', `${path}.*`, true, ctx);
    return item ? { ...base, kind: 'record', keys: ctx.recordKeys[path], item } : null;
  }
  if (type === 'string') return { ...base, kind: s.format === 'date' ? 'date' : 'text' };
  if (type === 'integer' || type === 'number') return { ...base, kind: 'number' };
  if (type === 'boolean') return { ...base, kind: 'boolean' };
  return null;
}

function fieldsOf(body: z.ZodType, ctx: FormContext): Field[] | null {
  const root = fieldOf(jsonSchemaOf(body), '', '', true, ctx);
  return root?.kind === 'object' ? root.fields : null;
}

const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/** How many rows an array of objects shows: as the form last said, else as many as its values fill, else one. */
function rowCount(values: Record<string, unknown>, path: string): number {
  const said = Number(values[`${path}.${ROWS}`]);
  if (Number.isInteger(said) && said >= 0) return said;
  const prefix = `${path}.`;
  const indices = Object.keys(values)
    .filter((k) => k.startsWith(prefix))
    .map((k) => Number(k.slice(prefix.length).split('.')[0]))
    .filter(Number.isInteger);
  return indices.length ? Math.max(...indices) + 1 : 1;
}

/**
 * A press of a row's Add or Remove button: the form's values with a row more or one less (the later rows moved up),
 * or null when the form was submitted for real.
 */
export function editRows(form: Record<string, unknown>): Record<string, unknown> | null {
  const add = form[ADD];
  const remove = form[REMOVE];
  if (typeof add === 'string') return { ...form, [ADD]: undefined, [`${add}.${ROWS}`]: String(rowCount(form, add) + 1) };
  const target = typeof remove === 'string' ? /^(.+)\.(\d+)$/.exec(remove) : null;
  if (!target) return null;
  const [, path, at] = target as unknown as [string, string, string];
  const removed = Number(at);
  const out: Record<string, unknown> = { [`${path}.${ROWS}`]: String(Math.max(rowCount(form, path) - 1, 0)) };
  for (const [key, value] of Object.entries(form)) {
    const row = key.startsWith(`${path}.`) ? /^(\d+)(\..*)?$/.exec(key.slice(path.length + 1)) : null;
    if (key === REMOVE || key === `${path}.${ROWS}`) continue;
    if (!row) out[key] = value;
    else if (Number(row[1]) > removed) out[`${path}.${Number(row[1]) - 1}${row[2] ?? ''}`] = value;
    else if (Number(row[1]) < removed) out[key] = value;
  }
  return out;
}

/** One control's value in the body, and whether the person filled it (an empty optional part is left out). */
function collect(f: Field, name: string, form: Record<string, unknown>): { value: unknown; filled: boolean } | undefined {
  const v = str(form[name]);
  switch (f.kind) {
    case 'text':
    case 'date':
    case 'choice':
      return v ? { value: v, filled: true } : undefined;
    case 'number':
      // Not a number: sent as typed, so the schema's own message names the field.
      return v ? { value: Number.isFinite(Number(v)) ? Number(v) : v, filled: true } : undefined;
    case 'boolean':
      // An unchecked box is `false` where the schema asks for an answer, else the schema's default.
      return form[name] === 'on' ? { value: true, filled: true } : f.required ? { value: false, filled: false } : undefined;
    case 'lines':
    case 'numbers': {
      const lines = v.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
      const value = f.kind === 'numbers' ? lines.map((l) => (Number.isFinite(Number(l)) ? Number(l) : l)) : lines;
      return lines.length ? { value, filled: true } : undefined;
    }
    case 'choices': {
      const picked = ([] as unknown[]).concat(form[name] ?? []).map(str).filter(Boolean);
      return { value: picked, filled: picked.length > 0 };
    }
    case 'object': {
      const parts = f.fields.map((c) => [c.name, collect(c, join(name, c.name), form)] as const).filter(([, p]) => p !== undefined);
      const filled = parts.some(([, p]) => p!.filled);
      return filled || f.required ? { value: Object.fromEntries(parts.map(([k, p]) => [k, p!.value])), filled } : undefined;
    }
    case 'rows': {
      const rows = Array.from({ length: rowCount(form, name) }, (_, i) => collect(f.item, `${name}.${i}`, form)).filter((r) => r?.filled);
      return rows.length || f.required ? { value: rows.map((r) => r!.value), filled: rows.length > 0 } : undefined;
    }
    case 'record': {
      const entries = keysAt(f.keys, name).map((k) => [k, collect(f.item, `${name}.${k}`, form)] as const).filter(([, p]) => p?.filled);
      return entries.length || f.required ? { value: Object.fromEntries(entries.map(([k, p]) => [k, p!.value])), filled: entries.length > 0 } : undefined;
    }
  }
}

/** The submitted form (controls named by path, one list item per line) → the body the JSON API takes. */
export function bodyFromForm(body: z.ZodType, ctx: FormContext, form: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fieldsOf(body, ctx) ?? []) {
    const part = collect(f, f.name, form);
    if (part !== undefined) out[f.name] = part.value;
  }
  return out;
}

/** `proposal.successMetrics.0.target` → `proposal › success metrics › 1 › target` (rows counted from 1). */
export const pathLabel = (path: string) =>
  path
    .split('.')
    .map((s) => (/^\d+$/.test(s) ? String(Number(s) + 1) : humanize(s)))
    .join(' › ');

export function renderForm(opts: {
  id: string;
  title: string;
  action: string;
  csrf: string;
  body: z.ZodType;
  ctx: FormContext;
  values?: Record<string, unknown>;
  errors?: { detail: string; fields: ErrorField[] };
  open?: boolean;
  /** Update the process section in place (htmx); start forms post the plain way and land on the new process. */
  inPlace?: boolean;
}): Html | null {
  const fields = fieldsOf(opts.body, opts.ctx);
  if (!fields) return null;
  const values = opts.values ?? {};
  // A first showing pre-selects the schema's defaults; a form sent back shows what the person chose.
  const fresh = opts.values === undefined;
  const fieldErrors = opts.errors?.fields ?? [];
  const rendered = new Map<string, string>();
  let hasRows = false;

  const idOf = (name: string) => {
    const id = `${opts.id}-${name.replace(/\./g, '-')}`;
    rendered.set(name, id);
    return id;
  };
  const errorsAt = (name: string) => fieldErrors.filter((e) => e.path === name).map((e) => e.message);
  const err = (name: string) => {
    const list = errorsAt(name);
    return list.length ? html`<p class="error" id="${opts.id}-${name.replace(/\./g, '-')}-error">${list.join('; ')}</p>` : '';
  };
  const described = (name: string, description?: string) => {
    const id = `${opts.id}-${name.replace(/\./g, '-')}`;
    const refs = [description ? `${id}-help` : '', errorsAt(name).length ? `${id}-error` : ''].filter(Boolean).join(' ');
    return refs ? html` aria-describedby="${refs}"` : '';
  };
  const help = (name: string, description?: string) => (description ? html`<p class="help" id="${opts.id}-${name.replace(/\./g, '-')}-help">${description}</p>` : '');
  const valueOf = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : '');
  const picked = (name: string, f: Field): string[] => (fresh ? (Array.isArray(f.default) ? f.default.map(String) : []) : ([] as unknown[]).concat(values[name] ?? []).map(String));
  const optionLabel = (o: Choice) => html`<span>${o.label ?? humanize(o.value)}${o.help ? html` <span class="help">${o.help}</span>` : ''}</span>`;

  // The parts of a record's keys and of a list's rows share one help text: shown at the first, not at every criterion or row.
  const helped = new Set<string>();
  const helpOnce = (f: Field) => {
    const seen = `${f.path} ${f.description}`;
    if (!f.description || helped.has(seen)) return undefined;
    helped.add(seen);
    return f.description;
  };
  const control = (f: Field, name: string, label: string): Html => {
    const id = idOf(name);
    const optional = f.required ? '' : html` <span class="help">(optional)</span>`;
    const req = f.required ? html` required` : '';
    const description = helpOnce(f);
    switch (f.kind) {
      case 'choice': {
        const value = valueOf(name) || (fresh && typeof f.default === 'string' ? f.default : '');
        if (f.options.length > MAX_RADIOS) {
          return html`<label for="${id}">${label}${optional}</label>${help(name, description)}${err(name)}<select id="${id}" name="${name}"${req}${described(name, description)}>
            <option value="">Choose…</option>${f.options.map((o) => html`<option value="${o.value}"${value === o.value ? html` selected` : ''}>${o.label ?? humanize(o.value)}</option>`)}</select>`;
        }
        return html`<fieldset id="${id}"${described(name, description)}><legend>${label}${optional}</legend>${help(name, description)}${err(name)}
          ${f.options.map((o, i) => html`<label class="choice"><input type="radio" name="${name}" value="${o.value}"${(value ? value === o.value : fresh && f.required && f.options.length === 1 && i === 0) ? html` checked` : ''}${req}> ${optionLabel(o)}</label>`)}</fieldset>`;
      }
      case 'choices': {
        const chosen = new Set(picked(name, f));
        return html`<fieldset id="${id}"${described(name, description)}><legend>${label}${optional}</legend>${help(name, description)}${err(name)}
          ${f.options.map((o) => html`<label class="choice"><input type="checkbox" name="${name}" value="${o.value}"${chosen.has(o.value) ? html` checked` : ''}> ${optionLabel(o)}</label>`)}</fieldset>`;
      }
      case 'object':
        return html`<fieldset id="${id}"${described(name, description)}><legend>${label}${optional}</legend>${help(name, description)}${err(name)}
          ${f.fields.map((c) => control(c, join(name, c.name), humanize(c.name)))}</fieldset>`;
      case 'record':
        return html`<fieldset id="${id}"${described(name, description)}><legend>${label}${optional}</legend>${help(name, description)}${err(name)}
          ${keysAt(f.keys, name).map((k) => control(f.item, `${name}.${k}`, humanize(k)))}</fieldset>`;
      case 'rows': {
        hasRows = true;
        const count = rowCount(values, name);
        return html`<fieldset id="${id}"${described(name, description)}><legend>${label}${optional}</legend>${help(name, description)}${err(name)}
          <input type="hidden" name="${name}.${ROWS}" value="${count}">
          ${Array.from({ length: count }, (_, i) => html`<div class="row">${control(f.item, `${name}.${i}`, `${label} ${i + 1}`)}
            <button type="submit" class="secondary" name="${REMOVE}" value="${name}.${i}" formnovalidate>Remove ${label} ${i + 1}</button></div>`)}
          <button type="submit" class="secondary" name="${ADD}" value="${name}" formnovalidate>Add ${label}</button></fieldset>`;
      }
      case 'lines':
      case 'numbers':
        return html`<label for="${id}">${label} <span class="help">(one ${f.kind === 'numbers' ? 'number ' : ''}per line${f.required ? '' : ', optional'})</span></label>${help(name, description)}${err(name)}<textarea id="${id}" name="${name}"${described(name, description)}>${valueOf(name)}</textarea>`;
      case 'boolean': {
        const checked = fresh ? f.default === true : values[name] === 'on';
        return html`<label class="choice"><input type="checkbox" id="${id}" name="${name}"${checked ? html` checked` : ''}${described(name, description)}> ${label}</label>${help(name, description)}${err(name)}`;
      }
      case 'number':
        return html`<label for="${id}">${label}${optional}</label>${help(name, description)}${err(name)}<input type="number" inputmode="decimal" step="any" id="${id}" name="${name}" value="${valueOf(name)}"${req}${described(name, description)}>`;
      case 'date':
        return html`<label for="${id}">${label}${optional}</label>${help(name, description)}${err(name)}<input type="date" id="${id}" name="${name}" value="${valueOf(name)}"${req}${described(name, description)}>`;
      case 'text':
        return html`<label for="${id}">${label}${optional}</label>${help(name, description)}${err(name)}<textarea id="${id}" name="${name}" rows="2"${req}${described(name, description)}>${valueOf(name)}</textarea>`;
    }
  };

  const controls = fields.map((f) => control(f, f.name, humanize(f.name)));
  // Every refusal at the top too, naming the field's path and leading to it.
  const summary = opts.errors
    ? html`<div class="errors" role="alert"><p>${opts.errors.detail}</p>${fieldErrors.length
        ? html`<ul>${fieldErrors.map((e) => {
            const target = rendered.get(e.path);
            return html`<li>${target ? html`<a href="#${target}">${pathLabel(e.path)}</a>` : pathLabel(e.path)}: ${e.message}</li>`;
          })}</ul>`
        : ''}</div>`
    : '';
  // With rows, Enter in a field presses the form's first submit button: make that the form's own, not a row's Remove.
  return html`<details class="card" id="${opts.id}"${opts.open || opts.errors ? html` open` : ''}>
  <summary><h3>${opts.title}</h3></summary>
  <form method="post" action="${opts.action}"${opts.inPlace === false ? '' : html` hx-post="${opts.action}" hx-target="#process" hx-swap="outerHTML"`} novalidate>
    <input type="hidden" name="_csrf" value="${opts.csrf}">
    ${hasRows ? html`<button type="submit" class="default-submit" tabindex="-1">${opts.title}</button>` : ''}
    ${summary}
    ${controls}
    <button type="submit">${opts.title}</button>
  </form>
</details>`;
}
