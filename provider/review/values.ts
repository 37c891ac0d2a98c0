// Property values on their way into a report: secrets replaced before anything else reads them, values compared
// leaf by leaf so that a nested change (`limits.maxUnitsPerHour`) is one row, and each value shown short.
import { canonicalJson } from "../model/equality";
import { UNKNOWN } from "../model/unknown";
import { MASKED_SECRET, SECRET_SIG, SIG_KEY } from "./pulumi-json";

/** Stands for a secret value everywhere after masking: compared by identity, shown as `[secret]`. */
export const SECRET: Readonly<Record<string, never>> = Object.freeze({});
/**
 * The value with every secret replaced by SECRET: Pulumi's secret objects (state files, `stack export`, even with
 * --show-secrets, whose plaintext is never read) and the "[secret]" the CLI writes in previews.
 */
export function maskSecrets(value: unknown): unknown {
    if (value === MASKED_SECRET) return SECRET;
    if (Array.isArray(value)) return value.map(maskSecrets);
    if (typeof value === "object" && value !== null) {
        if ((value as Record<string, unknown>)[SIG_KEY] === SECRET_SIG) return SECRET;
        return Object.fromEntries(Object.entries(value).map(([key, part]) => [key, maskSecrets(part)]));
    }
    return value;
}

/** Equal values, a secret equal only to a secret (two secrets look alike: what changed in them is never known here). */
export function sameValue(a: unknown, b: unknown): boolean {
    if ((a === undefined || a === null) && (b === undefined || b === null)) return true;
    return canonicalJson(comparable(a)) === canonicalJson(comparable(b));
}

function comparable(value: unknown): unknown {
    if (value === SECRET) return SECRET_MARK;
    if (Array.isArray(value)) return value.map(comparable);
    if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([key, part]) => [key, comparable(part)]));
    return value;
}

/** One leaf that differs: `limits.maxUnitsPerHour`, `nodes[0].weight`, `labels["team-x"]`. */
export interface LeafChange {
    readonly path: string;
    readonly before: unknown;
    readonly after: unknown;
}

const SECRET_MARK = "\u0000secret\u0000";
const UNKNOWN_MARK = "\u0000unknown\u0000";

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** A property path as Pulumi writes it in a detailed diff. */
export function childPath(parent: string, key: string | number): string {
    if (typeof key === "number") return `${parent}[${key}]`;
    if (!IDENTIFIER.test(key)) return `${parent}[${JSON.stringify(key)}]`;
    return parent === "" ? key : `${parent}.${key}`;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v) && v !== SECRET;
/** Lists of plain values (subjects, security groups) read best whole; lists of objects (alias targets) item by item. */
const holdsObjects = (v: unknown): v is unknown[] => Array.isArray(v) && v.some(isPlainObject);

/** Every leaf where `before` and `after` differ; objects are descended into, so is a list of objects. */
export function leafChanges(before: unknown, after: unknown, path: string): LeafChange[] {
    if (sameValue(before, after)) return [];
    if (isPlainObject(before) && isPlainObject(after)) {
        const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
        return keys.flatMap((key) => leafChanges(before[key], after[key], childPath(path, key)));
    }
    if (holdsObjects(before) && holdsObjects(after)) {
        const length = Math.max(before.length, after.length);
        return Array.from({ length }, (_, i) => leafChanges(before[i], after[i], childPath(path, i))).flat();
    }
    return [{ path, before, after }];
}

/** Every set leaf of a value, as `after` (what a created object gets; a deleted one's are turned round by the caller). */
export function leaves(value: unknown, path: string): LeafChange[] {
    if (value === undefined || value === null) return [];
    if (isPlainObject(value) && Object.keys(value).length > 0) return Object.keys(value).sort().flatMap((key) => leaves(value[key], childPath(path, key)));
    if (holdsObjects(value)) return value.flatMap((item, i) => leaves(item, childPath(path, i)));
    return [{ path, before: undefined, after: value }];
}

const MAX_SHOWN = 120;

/** A value as a report shows it: JSON, shortened, `[secret]` for a secret, `[unknown]` for what preview cannot know. */
export function showValue(value: unknown): string {
    if (value === undefined || value === null) return "—";
    if (value === SECRET) return "[secret]";
    if (value === UNKNOWN) return "[unknown]";
    let text: string;
    try {
        text = JSON.stringify(value, (_key, part) => (part === SECRET ? SECRET_MARK : part === UNKNOWN ? UNKNOWN_MARK : part)) ?? String(value);
    } catch {
        text = String(value);
    }
    text = text.split(JSON.stringify(SECRET_MARK)).join("[secret]").split(JSON.stringify(UNKNOWN_MARK)).join("[unknown]");
    return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 1)}…` : text;
}
