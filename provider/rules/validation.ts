// Field validation from the kind declarations: every issue is reported with its property path, the offending
// value (never a secret) and how to fix it. A value still unknown during preview (Pulumi's sentinel, at any
// depth) is "present, value undecided": everything known around it is still checked (a list's length, its
// known elements, an object's other fields), and only what depends on the unknown value itself is left for
// create/update and the control plane to decide.
import { z } from "zod";
import { Failure, showValue } from "../model/errors";
import { fixOf } from "../model/fields";
import { idFormOf, IdShape } from "../model/ids";
import { contextSchemas, ContextField, idFields, KindDecl } from "../model/kinds";
import { UNKNOWN } from "../model/unknown";

export type ValidationMode =
    /** Every required field must be present. */
    | "create"
    /** Only the fields present are validated (an update patch). */
    | "patch";

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
    let value: any = root;
    for (const key of path) value = value?.[key as any];
    return value;
}

function describeIssue(issue: z.core.$ZodIssue): string {
    // Our schemas word their own messages as "must ..."; zod's defaults start with a capital.
    if (/^(must|is|label)/.test(issue.message)) return issue.message;
    if (issue.code === "invalid_key" && issue.issues.length > 0) return describeIssue(issue.issues[0]);
    if (issue.code === "invalid_type") {
        const expected = String(issue.expected);
        if (expected === "undefined") return "is not allowed here";
        if (expected === "int") return "must be a whole number";
        return `must be ${expected === "object" ? "an object" : expected === "array" ? "a list" : `a ${expected}`}`;
    }
    return `is invalid (${issue.message})`;
}

function closest(name: string, candidates: readonly string[]): string | undefined {
    const lower = name.toLowerCase();
    return candidates.find((c) => c.toLowerCase() === lower)
        ?? candidates.find((c) => c.toLowerCase().startsWith(lower.slice(0, 3)) || lower.startsWith(c.toLowerCase().slice(0, 4)));
}

type Path = readonly PropertyKey[];

/** Where the preview sentinel sits inside a value, as paths relative to it (`[]` when the value itself is unknown). */
export function unknownPaths(value: unknown, at: Path = []): Path[] {
    if (value === UNKNOWN) return [at];
    if (Array.isArray(value)) return value.flatMap((item, i) => unknownPaths(item, [...at, i]));
    if (value !== null && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => unknownPaths(v, [...at, k]));
    return [];
}

const within = (path: Path, prefix: Path) => prefix.length <= path.length && prefix.every((key, i) => String(key) === String(path[i]));

/**
 * Whether an issue is about a value still unknown: it sits at or under an unknown, or it is a union none of whose
 * branches can be told apart without it. Checks of a container that do not read its elements' values (a list's
 * length, a map's size, unknown keys) stay decided.
 */
function undecided(issue: z.core.$ZodIssue, unknowns: readonly Path[], base: Path = []): boolean {
    const path = [...base, ...issue.path];
    if (unknowns.some((u) => within(path, u))) return true;
    if (issue.code === "invalid_union" && issue.errors.length > 0 && unknowns.some((u) => within(u, path))) {
        return issue.errors.some((branch) => branch.every((inner) => undecided(inner, unknowns, path)));
    }
    return false;
}

/** Validates one field's value against its schema; `property` is the path reported to the user. */
export function validateField(schema: z.ZodType, property: string, value: unknown, secret: boolean): Failure[] {
    const unknowns = unknownPaths(value);
    if (unknowns.some((u) => u.length === 0)) return [];
    const result = schema.safeParse(value);
    if (result.success) return [];
    const fix = fixOf(schema);
    const failures: Failure[] = [];
    for (const issue of result.error.issues) {
        if (undecided(issue, unknowns)) continue;
        const at = [property, ...issue.path.map(String)].join(".");
        if (issue.code === "unrecognized_keys") {
            failures.push({
                property: at,
                reason: `has unknown ${issue.keys.length === 1 ? "key" : "keys"} ${issue.keys.map((k) => `"${k}"`).join(", ")}. Remove ${issue.keys.length === 1 ? "it" : "them"} (check the spelling).`,
            });
            continue;
        }
        const here = valueAt(value, issue.path);
        const list = (issue.code === "too_big" || issue.code === "too_small") && issue.origin === "array" && Array.isArray(here) ? here : undefined;
        const fieldFix = fixOf(issue.path.length ? schemaAt(schema, issue.path, value) : schema) ?? (list ? sizeFix(issue, list.length) : fix);
        // A bad map key (e.g. a label key) is what the user got wrong: show the key, not the value under it. A list
        // that is too long is shown by its length: its items say little and may not be known yet.
        const got = issue.code === "invalid_key"
            ? showValue(issue.path[issue.path.length - 1], secret)
            : list && issue.code === "too_big" && !secret ? `a list of ${list.length}` : showValue(here, secret);
        failures.push({ property: at, reason: `${describeIssue(issue)}, got ${got}.${fieldFix ? ` ${fieldFix}` : ""}` });
        // zod stops at a list's length; its items may be wrong as well, and every problem is reported at once.
        const element = list && schemaAt(schema, [...issue.path, 0], value);
        if (list && element) list.forEach((item, i) => failures.push(...validateField(element, `${at}.${i}`, item, secret)));
    }
    return failures;
}

function sizeFix(issue: z.core.$ZodIssue, length: number): string | undefined {
    if (issue.code === "too_big") return `Remove ${length - Number(issue.maximum)} of them.`;
    if (issue.code === "too_small") return `Add ${Number(issue.minimum) - length} more.`;
    return undefined;
}

function unwrap(schema: any): any {
    while (schema?.def?.innerType) schema = schema.def.innerType;
    return schema;
}

/** The schema at `path` inside `schema`; `value` (the value at the same place) picks a discriminated union's branch. */
function schemaAt(schema: z.ZodType | undefined, path: readonly PropertyKey[], value?: unknown): z.ZodType | undefined {
    const current: any = unwrap(schema);
    if (!current || path.length === 0) return current;
    const [key, ...rest] = path;
    const below = (value as any)?.[key as any];
    // A union: the branch the value's tag names, so that two branches with a field of the same name (a chat
    // channel's `url`) each get their own fix; otherwise the first branch that has this path.
    if (Array.isArray(current.def?.options)) {
        const tag = current.def.discriminator as string | undefined;
        const tagged = tag === undefined ? [] : current.def.options.filter((o: any) => unwrap(o)?.shape?.[tag]?.def?.values?.includes((value as any)?.[tag]));
        for (const option of tagged.length ? tagged : current.def.options) {
            const found = schemaAt(option, path, value);
            if (found) return found;
        }
        return undefined;
    }
    if (current.shape) return schemaAt(current.shape[key as string], rest, below);
    if (current.def?.element) return schemaAt(current.def.element, rest, below);
    if (current.def?.valueType) return schemaAt(current.def.valueType, rest, below);
    return undefined;
}

export interface ValidateOptions {
    readonly mode: ValidationMode;
    /** Extra keys allowed besides spec and context (e.g. provider-internal ones). */
    readonly allowedExtra?: readonly string[];
    /** Whether the kind's plan-time context fields may appear (provider inputs) . */
    readonly withContext?: boolean;
    /**
     * Fields whose values must not be shown, besides the kind's declared secrets: e.g. inputs the program made
     * secret. Applies to everything under the field.
     */
    readonly hidden?: (field: string) => boolean;
    /** The ids the backend in use issues: every id field must hold one of the kind it points at. */
    readonly ids: IdShape;
}

/** The values at an id field's path under one top-level field, with the property each is reported at. */
function valuesAt(value: unknown, property: string, parts: readonly string[]): [string, unknown][] {
    if (parts.length === 0) return [[property, value]];
    const [head, ...rest] = parts;
    if (head === "[]") return Array.isArray(value) ? value.flatMap((item, i) => valuesAt(item, `${property}.${i}`, rest)) : [];
    if (typeof value !== "object" || value === null) return [];
    return valuesAt((value as Record<string, unknown>)[head], `${property}.${head}`, rest);
}

/**
 * The id fields under `key` whose value is no id the backend issues for the kinds the field may point at. A value
 * that is no string is the schema's to report; one still unknown in preview is decided when it is known.
 */
function idFailures(decl: KindDecl, key: string, value: unknown, ids: IdShape, secret: boolean): Failure[] {
    const failures: Failure[] = [];
    for (const { path, kinds } of idFields(decl)) {
        const [head, ...rest] = path.replace(/\[\]/g, ".[]").split(".");
        if (head !== key) continue;
        const forms = [...new Map(kinds.map((kind) => idFormOf(ids, kind)).map((form) => [form.says, form])).values()];
        for (const [property, id] of valuesAt(value, key, rest)) {
            if (typeof id !== "string" || id === UNKNOWN || forms.some((form) => form.pattern.test(id))) continue;
            failures.push({ property, reason: `must be ${forms.map((form) => form.says).join(" or ")}, got ${showValue(id, secret)}. ${forms[0].fix}` });
        }
    }
    return failures;
}

/** Where a property under a field sits in the order the schema reports issues: fields in its order, items by index. */
function reportOrder(schema: z.ZodType, property: string): number[] {
    const order: number[] = [];
    let current: any = schema;
    for (const part of property.split(".").slice(1)) {
        const s = unwrap(current);
        if (s?.shape) {
            order.push(Object.keys(s.shape).indexOf(part));
            current = s.shape[part];
        } else if (s?.def?.element) {
            order.push(Number(part));
            current = s.def.element;
        } else {
            order.push(0);
            current = undefined;
        }
    }
    return order;
}

const after = (a: number[], b: number[]) => {
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] > b[i];
    return a.length > b.length;
};

/**
 * One field's schema failures with its id failures placed where the schema would have reported them (an alias's
 * `nodes.1.nodeId` before `nodes.1.weight`), so failures read in the order of the fields whatever checked them.
 */
function inReportOrder(schema: z.ZodType, failures: Failure[], idFailures: Failure[]): Failure[] {
    const out = [...failures];
    for (const failure of idFailures) {
        const at = reportOrder(schema, failure.property);
        const next = out.findIndex((other) => after(reportOrder(schema, other.property), at));
        out.splice(next === -1 ? out.length : next, 0, failure);
    }
    return out;
}

/**
 * Validates a kind's spec (and optionally its plan-time context). Never throws: returns every failure. A value
 * unknown in preview counts as present; what is known around it is validated.
 */
export function validateSpec(decl: KindDecl, values: Record<string, unknown>, options: ValidateOptions): Failure[] {
    const failures: Failure[] = [];
    const shape = decl.spec.shape as Record<string, z.ZodType>;
    const context = options.withContext ? decl.context : [];
    const known = [...Object.keys(shape), ...context, ...(options.allowedExtra ?? [])];
    const secret = (key: string) => decl.secrets.includes(key) || (options.hidden?.(key) ?? false);
    for (const key of Object.keys(values)) {
        if (!known.includes(key)) {
            const guess = closest(key, Object.keys(shape));
            failures.push({
                property: key,
                reason: `is not a property of ${decl.kind}.${guess ? ` Did you mean "${guess}"?` : ` Known properties: ${Object.keys(shape).join(", ")}.`}`,
            });
        }
    }
    for (const [key, schema] of Object.entries(shape)) {
        const value = values[key];
        if (value === undefined) {
            if (options.mode === "create" && !schema.safeParse(undefined).success) {
                failures.push({ property: key, reason: `is required. ${fixOf(schema) ?? `Set ${key}.`}` });
            }
            continue;
        }
        // `null` from a program means "not set" for optional fields.
        if (value === null && schema.safeParse(undefined).success) continue;
        failures.push(...inReportOrder(schema, validateField(schema, key, value, secret(key)), idFailures(decl, key, value, options.ids, secret(key))));
    }
    for (const key of context as readonly ContextField[]) {
        const value = values[key];
        if (value === undefined) continue;
        failures.push(...validateField(contextSchemas[key], key, value, secret(key)), ...idFailures(decl, key, value, options.ids, secret(key)));
    }
    return failures;
}

/** Drops `null` optional values so stored specs never hold nulls. */
export function withoutNulls<T extends Record<string, unknown>>(values: T): T {
    return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== null && v !== undefined)) as T;
}
