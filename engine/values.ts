// Property values as they travel between the program, the engine and the dynamic provider host.
//
// The wire format is plain JSON (google.protobuf.Struct) with two kinds of in-band markers that the Pulumi SDK
// and engine agree on, taken here from the SDK itself (@pulumi/pulumi/runtime/rpc) so they cannot drift:
//   - unknowns: during a preview a value that is not known yet is the sentinel string `unknownValue`, at any depth;
//   - secrets: {[specialSigKey]: specialSecretSig, "value": v} wraps a secret value (sent only when the monitor
//     says it supports the "secrets" feature).
// The engine keeps secrets wrapped everywhere in memory (like Pulumi's PropertyMap keeps Secret values), strips
// the wrappers only when talking to a provider that does not accept secrets (the dynamic host never does), and
// re-applies them to what the provider returns with annotateSecrets, exactly as provider_plugin.go does.

import { specialSecretSig, specialSigKey, unknownValue } from "@pulumi/pulumi/runtime/rpc";

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type PropertyMap = { [key: string]: JsonValue };

interface SecretValue {
    [specialSigKey]: typeof specialSecretSig;
    value: JsonValue;
}

export function isObject(v: unknown): v is { [key: string]: JsonValue } {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function isSecret(v: unknown): v is SecretValue {
    return isObject(v) && v[specialSigKey] === specialSecretSig;
}

export function makeSecret(v: JsonValue): JsonValue {
    // Never double-wrap: a secret of a secret is just a secret.
    return isSecret(v) ? v : { [specialSigKey]: specialSecretSig, value: v };
}

/**
 * Rebuilds a value, replacing every part for which `replace` returns something (that part is not descended into)
 * and copying the rest. The one traversal behind unwrapping, redacting, encrypting and decrypting secrets.
 */
export function mapValue(v: JsonValue, replace: (part: JsonValue) => JsonValue | undefined): JsonValue {
    const replaced = replace(v);
    if (replaced !== undefined) {
        return replaced;
    }
    if (Array.isArray(v)) {
        return v.map((e) => mapValue(e, replace));
    }
    if (isObject(v)) {
        const out: PropertyMap = {};
        for (const [k, e] of Object.entries(v)) {
            out[k] = mapValue(e, replace);
        }
        return out;
    }
    return v;
}

/** A deep copy of plain data (objects, arrays, primitives) that shares its strings with the original. */
export function copyValue<T>(v: T): T {
    return mapValue(v as JsonValue, () => undefined) as T;
}

/** Removes every secret wrapper, at any depth. */
function unwrapSecrets(v: JsonValue): JsonValue {
    return mapValue(v, (part) => (isSecret(part) ? unwrapSecrets(part.value) : undefined));
}

export function unwrapSecretsMap(m: PropertyMap): PropertyMap {
    return unwrapSecrets(m) as PropertyMap;
}

function containsSecrets(v: JsonValue): boolean {
    if (isSecret(v)) {
        return true;
    }
    if (Array.isArray(v)) {
        return v.some(containsSecrets);
    }
    if (isObject(v)) {
        return Object.values(v).some(containsSecrets);
    }
    return false;
}

/**
 * Marks as secret every output whose input of the same name contained a secret, recursing into objects that are
 * objects on both sides. This is the engine's `annotateSecrets` (pkg/resource/plugin/provider_plugin.go): it is how
 * secrets survive a provider that does not accept them. Returns a new map.
 */
export function annotateSecrets(outs: PropertyMap, ins: PropertyMap): PropertyMap {
    const result: PropertyMap = { ...outs };
    for (const [key, inValue] of Object.entries(ins)) {
        if (!(key in result)) {
            continue;
        }
        const outValue = result[key];
        if (isObject(outValue) && !isSecret(outValue) && isObject(inValue) && !isSecret(inValue)) {
            result[key] = annotateSecrets(outValue, inValue);
        } else if (!isSecret(outValue) && containsSecrets(inValue)) {
            result[key] = makeSecret(outValue);
        }
    }
    return result;
}

/** Wraps the named top-level outputs as secrets (the `additionalSecretOutputs` resource option). */
function markSecretOutputs(outs: PropertyMap, keys: readonly string[]): PropertyMap {
    const result: PropertyMap = { ...outs };
    for (const key of keys) {
        if (key in result) {
            result[key] = makeSecret(result[key]);
        }
    }
    return result;
}

/**
 * What the engine does to the outputs after every step (step_executor.go): the `additionalSecretOutputs` become
 * secret, and so does every output whose top-level input of the same name is a secret.
 */
export function secretOutputs(outputs: PropertyMap, inputs: PropertyMap, additionalSecretOutputs: readonly string[]): PropertyMap {
    const result = markSecretOutputs(outputs, additionalSecretOutputs);
    for (const key of Object.keys(result)) {
        if (isSecret(inputs[key])) {
            result[key] = makeSecret(result[key]);
        }
    }
    return result;
}

/** Structural equality of JSON values; object key order does not matter. */
export function deepEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
    if (a === b) {
        return true;
    }
    if (Array.isArray(a) || Array.isArray(b)) {
        return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((e, i) => deepEqual(e, b[i]));
    }
    if (isObject(a) && isObject(b)) {
        const ka = Object.keys(a);
        const kb = Object.keys(b);
        return ka.length === kb.length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
    }
    return false;
}

/** Keys that differ between two property maps, as Pulumi's ObjectDiff classifies them. */
export interface KeyDiff {
    adds: string[];
    deletes: string[];
    updates: string[];
}

/** Pulumi treats keys whose name starts with "__" (such as `__provider`) as internal and never displays them. */
function isInternalKey(key: string): boolean {
    return key.startsWith("__");
}

/**
 * Top-level diff of two property maps, secrets ignored (a value that merely became secret is not a change, as in
 * the engine's unwrapResourceSecretsAndOutputs). A null value counts as absent, as in PropertyMap.Diff.
 */
export function diffKeys(olds: PropertyMap, news: PropertyMap, opts: { includeInternal?: boolean } = {}): KeyDiff {
    const diff: KeyDiff = { adds: [], deletes: [], updates: [] };
    const keep = (k: string) => opts.includeInternal === true || !isInternalKey(k);
    const has = (m: PropertyMap, k: string) => m[k] !== undefined && m[k] !== null;
    for (const k of Object.keys(olds)) {
        if (!keep(k)) {
            continue;
        }
        if (!has(news, k)) {
            if (has(olds, k)) {
                diff.deletes.push(k);
            }
        } else if (!has(olds, k)) {
            diff.adds.push(k);
        } else if (!deepEqual(unwrapSecrets(olds[k]), unwrapSecrets(news[k]))) {
            diff.updates.push(k);
        }
    }
    for (const k of Object.keys(news)) {
        if (keep(k) && !(k in olds) && has(news, k)) {
            diff.adds.push(k);
        }
    }
    diff.adds.sort();
    diff.deletes.sort();
    diff.updates.sort();
    return diff;
}

export function anyChanges(d: KeyDiff): boolean {
    return d.adds.length + d.deletes.length + d.updates.length > 0;
}

export function changedKeys(d: KeyDiff): string[] {
    return [...d.adds, ...d.deletes, ...d.updates].sort();
}

/** Renders a key diff as the display does: `+added-deleted~updated`, each group sorted and comma-separated. */
export function formatKeyDiff(d: KeyDiff): string {
    const group = (prefix: string, keys: string[]) => (keys.length ? prefix + keys.join(",") : "");
    return group("+", d.adds) + group("-", d.deletes) + group("~", d.updates);
}

/** Splits a property path such as `spec.limits[0].max` or `tags["a.b"]` into its segments. */
export function parsePropertyPath(path: string): (string | number)[] {
    const segments: (string | number)[] = [];
    const re = /([^.[\]]+)|\[(\d+)\]|\["([^"]*)"\]/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(path)) !== null) {
        if (m[1] !== undefined) {
            segments.push(m[1]);
        } else if (m[2] !== undefined) {
            segments.push(Number(m[2]));
        } else {
            segments.push(m[3]);
        }
    }
    return segments;
}

/**
 * Renders the value at a property path for a message (a check failure): `[secret]` when the value is secret, or
 * sits under a secret (a secret object's field, a secret list's element); secrets inside it are redacted too.
 */
export function renderValueAt(root: PropertyMap, path: string): string {
    if (path in root) {
        return renderValue(root[path]);
    }
    let cur: JsonValue | undefined = root;
    for (const seg of parsePropertyPath(path)) {
        if (isSecret(cur)) {
            return "[secret]";
        }
        if (typeof seg === "number" && Array.isArray(cur)) {
            cur = cur[seg];
        } else if (typeof seg === "string" && isObject(cur)) {
            cur = cur[seg];
        } else {
            return renderValue(undefined);
        }
    }
    return renderValue(cur);
}

/** Renders a value for messages: secrets redacted, unknowns as the display shows them. */
export function renderValue(v: JsonValue | undefined): string {
    if (v === undefined) {
        return "null";
    }
    if (isSecret(v)) {
        return "[secret]";
    }
    if (v === unknownValue) {
        return "output<string>";
    }
    return JSON.stringify(redactSecrets(v));
}

/** Replaces every secret by the string "[secret]" (and unknowns by "output<string>") for display. */
export function redactSecrets(v: JsonValue): JsonValue {
    return mapValue(v, (part) => (isSecret(part) ? "[secret]" : part === unknownValue ? "output<string>" : undefined));
}
