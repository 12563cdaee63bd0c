import { z } from 'zod';
import type { ErrorField } from '../domain/errors.js';
import { html, humanize, type Html } from './html.js';

/*
 * Action forms generated from each action's zod body (its JSON Schema) and, for per-criterion rulings, from the
 * policy the process pinned. Submitted forms are turned back into the body the JSON API takes; the route's own
 * schema then parses it, so a form can never send what the API would not accept.
 */

interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  description?: string;
  required?: string[];
}

/** What the page knows that the schema does not: the keys of a per-criterion record, the roles I may act in. */
export interface FormContext {
  /** Record fields (e.g. `rulings`, `findings`) → the keys the policy or the process asks about. */
  recordKeys: Record<string, string[]>;
  /** Choices for a `role` field: the seats I may take. */
  roles: string[];
  /** Choices the policy gives a free-text field (e.g. an architecture review's `trigger`). */
  choices?: Record<string, string[]>;
}

type Field =
  | { kind: 'text' | 'lines' | 'number' | 'boolean'; name: string; description?: string; required: boolean }
  | { kind: 'choice'; name: string; description?: string; required: boolean; options: string[] }
  | { kind: 'record'; name: string; description?: string; required: boolean; keys: string[]; options: string[] };

const schemas = new WeakMap<z.ZodType, JsonSchema>();
function jsonSchemaOf(body: z.ZodType): JsonSchema {
  let s = schemas.get(body);
  if (!s) schemas.set(body, (s = z.toJSONSchema(body, { io: 'input', unrepresentable: 'any' }) as JsonSchema));
  return s;
}

const typeOf = (s: JsonSchema) => (Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type);

export function fieldsOf(body: z.ZodType, ctx: FormContext): Field[] | null {
  const schema = jsonSchemaOf(body);
  const required = new Set(schema.required ?? []);
  const fields: Field[] = [];
  for (const [name, s] of Object.entries(schema.properties ?? {})) {
    const base = { name, description: s.description, required: required.has(name) };
    const type = typeOf(s);
    if (name === 'role' && ctx.roles.length) fields.push({ ...base, kind: 'choice', options: ctx.roles });
    else if (ctx.choices?.[name]) fields.push({ ...base, kind: 'choice', options: ctx.choices[name]! });
    else if (s.enum) fields.push({ ...base, kind: 'choice', options: s.enum.map(String) });
    else if (type === 'object' && typeof s.additionalProperties === 'object' && s.additionalProperties.enum && ctx.recordKeys[name]) {
      fields.push({ ...base, kind: 'record', keys: ctx.recordKeys[name]!, options: s.additionalProperties.enum.map(String) });
    } else if (type === 'array' && typeOf(s.items ?? {}) === 'string') fields.push({ ...base, kind: 'lines' });
    else if (type === 'string') fields.push({ ...base, kind: 'text' });
    else if (type === 'integer' || type === 'number') fields.push({ ...base, kind: 'number' });
    else if (type === 'boolean') fields.push({ ...base, kind: 'boolean' });
    // Anything richer (nested objects) has no generic control: optional ones are left out, and a form that
    // needs one is left to the JSON API.
    else if (base.required) return null;
  }
  return fields;
}

/** The form's flat fields (`rulings.<criterion>`, one condition per line) → the action's JSON body. */
export function bodyFromForm(body: z.ZodType, ctx: FormContext, form: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  for (const f of fieldsOf(body, ctx) ?? []) {
    const v = str(form[f.name]);
    if (f.kind === 'record') {
      const entries = f.keys.map((k) => [k, str(form[`${f.name}.${k}`])] as const).filter(([, x]) => x);
      if (entries.length) out[f.name] = Object.fromEntries(entries);
      else if (f.required) out[f.name] = {};
    } else if (f.kind === 'lines') {
      const lines = v.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
      if (lines.length) out[f.name] = lines;
    } else if (f.kind === 'boolean') {
      if (form[f.name] === 'on') out[f.name] = true;
    } else if (f.kind === 'number') {
      if (v) out[f.name] = Number(v);
    } else if (v) out[f.name] = v;
  }
  return out;
}

/** Errors are keyed by the field they belong to (`rulings.security_assessment_approval` → that fieldset's row). */
function errorsFor(errors: ErrorField[], name: string): string[] {
  return errors.filter((e) => e.path === name || e.path.startsWith(`${name}.`)).map((e) => (e.path === name ? e.message : `${humanize(e.path.slice(name.length + 1))}: ${e.message}`));
}

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
  const fieldErrors = opts.errors?.fields ?? [];
  const known = new Set(fields.map((f) => f.name));
  // Errors the form has no field for (a rule of the process) go in the summary at the top.
  const general = fieldErrors.filter((e) => !known.has(e.path.split('.')[0]!));
  const err = (name: string) => {
    const list = errorsFor(fieldErrors, name);
    return list.length ? html`<p class="error" id="${opts.id}-${name}-error">${list.join('; ')}</p>` : '';
  };
  const described = (name: string, description?: string) =>
    [description ? `${opts.id}-${name}-help` : '', errorsFor(fieldErrors, name).length ? `${opts.id}-${name}-error` : ''].filter(Boolean).join(' ') || undefined;
  const help = (name: string, description?: string) => (description ? html`<p class="help" id="${opts.id}-${name}-help">${description}</p>` : '');
  const attr = (name: string, v: string | undefined) => (v ? html` ${name}="${v}"` : '');

  const control = (f: Field): Html => {
    const id = `${opts.id}-${f.name}`;
    const label = humanize(f.name);
    const value = typeof values[f.name] === 'string' ? (values[f.name] as string) : '';
    switch (f.kind) {
      case 'choice':
        return html`<fieldset${attr('aria-describedby', described(f.name, f.description))}><legend>${label}</legend>${help(f.name, f.description)}${err(f.name)}
          ${f.options.map((o, i) => html`<label class="choice"><input type="radio" name="${f.name}" value="${o}"${(value ? value === o : f.options.length === 1 && i === 0) ? html` checked` : ''}${f.required ? html` required` : ''}> ${humanize(o)}</label>`)}</fieldset>`;
      case 'record':
        return html`<fieldset${attr('aria-describedby', described(f.name, f.description))}><legend>${label}</legend>${help(f.name, f.description)}${err(f.name)}
          ${f.keys.map((k) => {
            const name = `${f.name}.${k}`;
            const chosen = typeof values[name] === 'string' ? values[name] : '';
            return html`<fieldset><legend>${humanize(k)}</legend>${f.options.map((o) => html`<label class="choice"><input type="radio" name="${name}" value="${o}"${chosen === o ? html` checked` : ''}> ${humanize(o)}</label>`)}</fieldset>`;
          })}</fieldset>`;
      case 'lines':
        return html`<label for="${id}">${label} <span class="help">(one per line)</span></label>${help(f.name, f.description)}${err(f.name)}<textarea id="${id}" name="${f.name}"${attr('aria-describedby', described(f.name, f.description))}>${value}</textarea>`;
      case 'boolean':
        return html`<label class="choice"><input type="checkbox" name="${f.name}"${values[f.name] === 'on' ? html` checked` : ''}${attr('aria-describedby', described(f.name, f.description))}> ${label}</label>${help(f.name, f.description)}${err(f.name)}`;
      case 'number':
        return html`<label for="${id}">${label}</label>${help(f.name, f.description)}${err(f.name)}<input type="number" inputmode="numeric" id="${id}" name="${f.name}" value="${value}"${f.required ? html` required` : ''}${attr('aria-describedby', described(f.name, f.description))}>`;
      default:
        return html`<label for="${id}">${label}${f.required ? '' : html` <span class="help">(optional)</span>`}</label>${help(f.name, f.description)}${err(f.name)}<textarea id="${id}" name="${f.name}" rows="2"${f.required ? html` required` : ''}${attr('aria-describedby', described(f.name, f.description))}>${value}</textarea>`;
    }
  };

  return html`<details class="card" id="${opts.id}"${opts.open || opts.errors ? html` open` : ''}>
  <summary><h3>${opts.title}</h3></summary>
  <form method="post" action="${opts.action}"${opts.inPlace === false ? '' : html` hx-post="${opts.action}" hx-target="#process" hx-swap="outerHTML"`} novalidate>
    <input type="hidden" name="_csrf" value="${opts.csrf}">
    ${opts.errors ? html`<div class="errors" role="alert"><p>${opts.errors.detail}</p>${general.length ? html`<ul>${general.map((e) => html`<li>${e.path}: ${e.message}</li>`)}</ul>` : ''}</div>` : ''}
    ${fields.map(control)}
    <button type="submit">${opts.title}</button>
  </form>
</details>`;
}
