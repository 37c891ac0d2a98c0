// ignoreChanges paths as the Pulumi engine reads and applies them: sdk/go/common/resource/properties_path.go
// (parsePropertyPath, PropertyPath.reset) as called by pkg/resource/deploy/step_generator.go processIgnoreChanges.
// Resetting a path puts the old value back at that place in the new inputs. It never creates a missing parent
// object, never grows, shrinks or splices an array, and keeps a value secret when it was secret where it came from.
// A path it cannot reset is reported (as an info message, not an error) and whatever it changed on the way stays.

import { copyValue, isObject, isSecret, makeSecret, type JsonValue, type PropertyMap } from "./values";

/** An object key, `*` (every key or element), or an array index. */
type Segment = string | number;

/**
 * Reads a path such as `spec.limits[0].max`, `tags["a.b"]` or `items[*].name` the way the engine does (not strict):
 * a bare name runs to the next `.` or `[`; `["..."]` is a key (with `\"` for a quote); `[*]` is the wildcard; any
 * other bracket holds an integer. Returns undefined for a path the engine cannot parse: it skips those silently.
 */
export function parseIgnorePath(path: string): Segment[] | undefined {
    const segments: Segment[] = [];
    if (path.startsWith(".")) return undefined;
    let rest = path;
    while (rest.length > 0) {
        if (rest[0] === ".") {
            rest = rest.slice(1);
            // A '.' before a '[' is tolerated (older providers write `a.[0]`); a '.' at the end is not.
            if (rest.length === 0) return undefined;
        } else if (rest[0] === "[") {
            if (rest[1] === '"') {
                let key = "";
                let i = 2;
                for (;;) {
                    if (i >= rest.length) return undefined;
                    if (rest[i] === '"') {
                        i++;
                        break;
                    }
                    if (rest[i] === "\\" && rest[i + 1] === '"') {
                        key += '"';
                        i += 2;
                    } else {
                        key += rest[i++];
                    }
                }
                if (rest[i] !== "]") return undefined;
                segments.push(key);
                rest = rest.slice(i + 1);
            } else {
                const close = rest.indexOf("]");
                if (close < 0) return undefined;
                const inside = rest.slice(1, close);
                if (inside === "*") {
                    segments.push("*");
                } else {
                    // strconv.ParseInt: an optional sign and decimal digits (a negative index parses, then fails).
                    if (!/^[+-]?\d+$/.test(inside)) return undefined;
                    segments.push(Number(inside));
                }
                rest = rest.slice(close + 1);
            }
        } else {
            const end = rest.search(/[.[]/);
            const name = end < 0 ? rest : rest.slice(0, end);
            segments.push(name);
            rest = end < 0 ? "" : rest.slice(end);
        }
    }
    return segments;
}

/** The value inside any secret wrappers, and whether there was one. */
function unwrap(v: JsonValue | undefined): { value: JsonValue | undefined; secret: boolean } {
    let secret = false;
    while (isSecret(v)) {
        v = v.value;
        secret = true;
    }
    return { value: v, secret };
}

/**
 * Puts old values back into `news` (changed in place) along `path`; false when the path cannot be followed or set
 * without creating, removing or resizing something. `oldSecret`/`newSecret`: whether the walk is inside a secret.
 */
function reset(path: readonly Segment[], oldGiven: JsonValue | undefined, newGiven: JsonValue | undefined, oldSecretAbove: boolean, newSecretAbove: boolean): boolean {
    if (path.length === 0) return false;
    const o = unwrap(oldGiven);
    const n = unwrap(newGiven);
    const old = o.value;
    const news = n.value;
    const oldSecret = oldSecretAbove || o.secret;
    const newSecret = newSecretAbove || n.secret;
    // A value taken out of a secret into a place that is not secret stays secret; it is copied, so that later
    // paths never change the old inputs through it.
    const carried = (v: JsonValue): JsonValue => (oldSecret && !newSecret ? makeSecret(copyValue(v)) : copyValue(v));
    const [key, ...rest] = path;
    const leaf = rest.length === 0;

    if (typeof key === "number") {
        if (key < 0) return false;
        const oldArray = Array.isArray(old) ? old : undefined;
        const newArray = Array.isArray(news) ? news : undefined;
        if (!oldArray || !newArray) {
            // Neither side is an array: nothing there to reset. Only one is: the path means different things.
            return !oldArray && !newArray;
        }
        if (leaf) {
            const inOld = key < oldArray.length;
            const inNew = key < newArray.length;
            if (!inOld && !inNew) return true;
            // The element exists on one side only: resetting it would add or remove an element.
            if (!inOld || !inNew) return false;
            newArray[key] = carried(oldArray[key]);
            return true;
        }
        if (key >= oldArray.length || key >= newArray.length) return false;
        return reset(rest, oldArray[key], newArray[key], oldSecret, newSecret);
    }

    if (key === "*") {
        if (leaf) {
            if (isObject(news)) {
                if (isObject(old)) {
                    for (const k of Object.keys(old)) news[k] = carried(old[k]);
                    for (const k of Object.keys(news)) if (!(k in old)) delete news[k];
                }
                return true;
            }
            if (Array.isArray(news)) {
                if (Array.isArray(old)) {
                    // The elements both have are reset; a difference in length cannot be, and is reported.
                    for (let i = 0; i < old.length && i < news.length; i++) news[i] = carried(old[i]);
                    return old.length === news.length;
                }
                return true;
            }
            return false;
        }
        if (isObject(old) && isObject(news)) {
            return Object.keys(old).every((k) => k in news && reset(rest, old[k], news[k], oldSecret, newSecret));
        }
        if (Array.isArray(old) && Array.isArray(news)) {
            for (let i = 0; i < old.length && i < news.length; i++) {
                if (!reset(rest, old[i], news[i], oldSecret, newSecret)) return false;
            }
            return old.length === news.length;
        }
        return false;
    }

    if (leaf) {
        if (isObject(old) && key in old) {
            // The key is set back even where the new inputs lack it: a missing leaf is re-created from the old value.
            if (!isObject(news)) return false;
            news[key] = carried(old[key]);
        } else if (isObject(news)) {
            delete news[key];
        }
        return true;
    }
    if (!isObject(old) || !isObject(news)) {
        return !isObject(old) && !isObject(news);
    }
    const inOld = key in old;
    const inNew = key in news;
    // A parent the new inputs lack is never created.
    if (inOld && !inNew) return false;
    if (!inOld && !inNew) return true;
    return reset(rest, old[key], news[key], oldSecret, newSecret);
}

/**
 * ignoreChanges: the new inputs with every ignored path reset to its old value (a copy; `news` is not changed), and
 * the paths that could not be reset, for the engine's info message. Unparsable paths are skipped, as by the engine.
 */
export function applyIgnoreChanges(news: PropertyMap, oldInputs: PropertyMap, paths: readonly string[]): { inputs: PropertyMap; invalidPaths: string[] } {
    if (paths.length === 0) return { inputs: news, invalidPaths: [] };
    const inputs = copyValue(news);
    const invalidPaths: string[] = [];
    for (const path of paths) {
        const segments = parseIgnorePath(path);
        if (segments === undefined) continue;
        if (!reset(segments, oldInputs, inputs, false, false)) invalidPaths.push(path);
    }
    return { inputs, invalidPaths };
}

/** The engine's info message for paths it could not reset (processIgnoreChanges; Go's %q of the joined paths). */
export function invalidIgnorePathsMessage(paths: readonly string[]): string {
    return `cannot ignore changes in added or removed elements of the path: ${JSON.stringify(paths.join(", "))}`;
}
