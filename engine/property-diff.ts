// The difference between two property maps, nested: what `--diff` prints and what a detailed diff in `--json` lists.
// It follows the Pulumi SDK's resource.ObjectDiff (sdk/go/common/resource/properties_diff.go): objects are compared
// key by key, arrays index by index (an index past the shorter one is an add or a delete), anything else whole; null
// and absent are the same. A secret is one value: compared whole (its contents), never opened.

import type { PropertyDiffKind } from "./steps";
import { deepEqual, isObject, isSecret, type JsonValue, type PropertyMap } from "./values";

export interface ObjectDiff {
    adds: Map<string, JsonValue>;
    deletes: Map<string, JsonValue>;
    sames: Map<string, JsonValue>;
    updates: Map<string, ValueDiff>;
}

export interface ArrayDiff {
    length: number;
    adds: Map<number, JsonValue>;
    deletes: Map<number, JsonValue>;
    sames: Map<number, JsonValue>;
    updates: Map<number, ValueDiff>;
}

export type ValueDiff =
    | { kind: "object"; object: ObjectDiff }
    | { kind: "array"; array: ArrayDiff }
    | { kind: "value"; old: JsonValue; new: JsonValue };

/** Plain containers are compared part by part; a secret is one value. */
export function isPlainObject(v: JsonValue | undefined): v is { [key: string]: JsonValue } {
    return isObject(v) && !isSecret(v);
}

/** Null and absent are the same to a diff (PropertyValue.HasValue). */
function hasValue(v: JsonValue | undefined): v is JsonValue {
    return v !== undefined && v !== null;
}

function diffValues(old: JsonValue, now: JsonValue, keep: (key: string) => boolean): ValueDiff | undefined {
    if (Array.isArray(old) && Array.isArray(now)) {
        const array: ArrayDiff = { length: Math.max(old.length, now.length), adds: new Map(), deletes: new Map(), sames: new Map(), updates: new Map() };
        for (let i = 0; i < array.length; i++) {
            if (i >= old.length) {
                array.adds.set(i, now[i]);
            } else if (i >= now.length) {
                array.deletes.set(i, old[i]);
            } else {
                const d = diffValues(old[i], now[i], keep);
                if (d) {
                    array.updates.set(i, d);
                } else {
                    array.sames.set(i, old[i]);
                }
            }
        }
        return array.adds.size + array.deletes.size + array.updates.size > 0 ? { kind: "array", array } : undefined;
    }
    if (isPlainObject(old) && isPlainObject(now)) {
        const object = diffObjects(old, now, keep);
        return object ? { kind: "object", object } : undefined;
    }
    return deepEqual(old, now) ? undefined : { kind: "value", old, new: now };
}

/** The difference of two objects over the keys `keep` admits (at every depth); undefined when nothing changed. */
export function diffObjects(olds: PropertyMap, news: PropertyMap, keep: (key: string) => boolean): ObjectDiff | undefined {
    const diff: ObjectDiff = { adds: new Map(), deletes: new Map(), sames: new Map(), updates: new Map() };
    for (const [key, old] of Object.entries(olds)) {
        if (!keep(key)) {
            continue;
        }
        if (key in news) {
            const now = news[key];
            const d = diffValues(old, now, keep);
            if (!d) {
                diff.sames.set(key, old);
            } else if (!hasValue(old)) {
                diff.adds.set(key, now);
            } else if (!hasValue(now)) {
                diff.deletes.set(key, old);
            } else {
                diff.updates.set(key, d);
            }
        } else if (hasValue(old)) {
            diff.deletes.set(key, old);
        }
    }
    for (const [key, now] of Object.entries(news)) {
        if (keep(key) && !(key in olds) && hasValue(now)) {
            diff.adds.set(key, now);
        }
    }
    return diff.adds.size + diff.deletes.size + diff.updates.size > 0 ? diff : undefined;
}

/** Go's order of property keys: by UTF-8 bytes, which for these keys is by UTF-16 code units. */
export function compareKeys(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}

/** Every key of an object's diff, changed or not, in order. */
export function keysOf(diff: ObjectDiff): string[] {
    return [...diff.adds.keys(), ...diff.deletes.keys(), ...diff.sames.keys(), ...diff.updates.keys()].sort(compareKeys);
}

type PathSegment = string | number;

/**
 * A property path as the engine writes one (PropertyPath.String): `limits.maxUnitsPerHour`, `nodes[0].weight`, and
 * `labels["team.name"]` for a key that a dot, a bracket, a quote or a space would make ambiguous.
 */
export function pathText(path: readonly PathSegment[]): string {
    return path
        .map((segment, i) => {
            if (typeof segment === "number") {
                return `[${segment}]`;
            }
            if (/[\s.[\]"]/.test(segment)) {
                return `["${segment.replace(/"/g, '\\"')}"]`;
            }
            return i === 0 ? segment : `.${segment}`;
        })
        .join("");
}

/**
 * The leaves of a diff as the engine lists them in a detailed diff (plugin.NewDetailedDiffFromObjectDiff): one path
 * per added, deleted or updated leaf.
 */
export function changedPaths(diff: ObjectDiff): { path: PathSegment[]; kind: PropertyDiffKind }[] {
    const found: { path: PathSegment[]; kind: PropertyDiffKind }[] = [];
    const leaf = (path: PathSegment[], d: ValueDiff) => {
        if (d.kind === "object") {
            return walkObject(path, d.object);
        }
        if (d.kind === "array") {
            for (const [i, u] of d.array.updates) leaf([...path, i], u);
            for (const i of d.array.adds.keys()) found.push({ path: [...path, i], kind: "add" });
            for (const i of d.array.deletes.keys()) found.push({ path: [...path, i], kind: "delete" });
            return;
        }
        found.push({ path, kind: d.old === null ? "add" : d.new === null ? "delete" : "update" });
    };
    const walkObject = (path: PathSegment[], d: ObjectDiff) => {
        for (const [k, u] of d.updates) leaf([...path, k], u);
        for (const k of d.adds.keys()) found.push({ path: [...path, k], kind: "add" });
        for (const k of d.deletes.keys()) found.push({ path: [...path, k], kind: "delete" });
    };
    walkObject([], diff);
    return found;
}
