// Field validation from the kind declarations: every issue is reported with its property path, the offending
// value (never a secret) and how to fix it. Values still unknown during preview are skipped here; they are
// validated again when they are known (create/update) and by the control plane.
import { z } from "zod";
import { Failure, showValue } from "../model/errors";
import { fixOf } from "../model/fields";
import { contextSchemas, ContextField, KindDecl } from "../model/kinds";
import { containsUnknown } from "../plan/unknown";

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

/** Validates one field's value against its schema; `property` is the path reported to the user. */
export function validateField(schema: z.ZodType, property: string, value: unknown, secret: boolean): Failure[] {
    const result = schema.safeParse(value);
    if (result.success) return [];
    const fix = fixOf(schema);
    return result.error.issues.map((issue) => {
        if (issue.code === "unrecognized_keys") {
            return {
                property: [property, ...issue.path.map(String)].join("."),
                reason: `has unknown ${issue.keys.length === 1 ? "key" : "keys"} ${issue.keys.map((k) => `"${k}"`).join(", ")}. Remove ${issue.keys.length === 1 ? "it" : "them"} (check the spelling).`,
            };
        }
        const fieldFix = fixOf(issue.path.length ? schemaAt(schema, issue.path) : schema) ?? fix;
        // A bad map key (e.g. a label key) is what the user got wrong: show the key, not the value under it.
        const got = issue.code === "invalid_key" ? issue.path[issue.path.length - 1] : valueAt(value, issue.path);
        return {
            property: [property, ...issue.path.map(String)].join("."),
            reason: `${describeIssue(issue)}, got ${showValue(got, secret)}.${fieldFix ? ` ${fieldFix}` : ""}`,
        };
    });
}

function unwrap(schema: any): any {
    while (schema?.def?.innerType) schema = schema.def.innerType;
    return schema;
}

function schemaAt(schema: z.ZodType, path: readonly PropertyKey[]): z.ZodType | undefined {
    let current: any = unwrap(schema);
    for (const key of path) {
        if (!current) return undefined;
        if (current.shape) current = unwrap(current.shape[key as string]);
        else if (current.def?.element) current = unwrap(current.def.element);
        else if (current.def?.valueType) current = unwrap(current.def.valueType);
        else return undefined;
    }
    return current;
}

export interface ValidateOptions {
    readonly mode: ValidationMode;
    /** Extra keys allowed besides spec and context (e.g. provider-internal ones). */
    readonly allowedExtra?: readonly string[];
    /** Whether the kind's plan-time context fields may appear (provider inputs) . */
    readonly withContext?: boolean;
}

/**
 * Validates a kind's spec (and optionally its plan-time context). Never throws: returns every failure.
 * A field whose value contains the preview unknown sentinel is skipped.
 */
export function validateSpec(decl: KindDecl, values: Record<string, unknown>, options: ValidateOptions): Failure[] {
    const failures: Failure[] = [];
    const shape = decl.spec.shape as Record<string, z.ZodType>;
    const context = options.withContext ? decl.context : [];
    const known = [...Object.keys(shape), ...context, ...(options.allowedExtra ?? [])];
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
        if (containsUnknown(value)) continue;
        if (value === undefined) {
            if (options.mode === "create" && !schema.safeParse(undefined).success) {
                failures.push({ property: key, reason: `is required. ${fixOf(schema) ?? `Set ${key}.`}` });
            }
            continue;
        }
        // `null` from a program means "not set" for optional fields.
        if (value === null && schema.safeParse(undefined).success) continue;
        failures.push(...validateField(schema, key, value, decl.secrets.includes(key)));
    }
    for (const key of context as readonly ContextField[]) {
        const value = values[key];
        if (value === undefined || containsUnknown(value)) continue;
        failures.push(...validateField(contextSchemas[key], key, value, false));
    }
    return failures;
}

/** Drops `null` optional values so stored specs never hold nulls. */
export function withoutNulls<T extends Record<string, unknown>>(values: T): T {
    return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== null && v !== undefined)) as T;
}
