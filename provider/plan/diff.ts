// diff: which stored fields change, and whether the platform can change them in place. Pure.
// Only the kind's spec fields count: `__provider` (a provider upgrade), the logical name and the plan-time
// context never make a change by themselves.
import { kindOf, KindName } from "../model/kinds";
import { canonicalJson } from "./equality";
import { AUTONAMED_KEY } from "./inputs";
import { containsUnknown } from "./unknown";

export interface DiffResult {
    readonly changes: boolean;
    /** Changed spec fields, in declaration order. */
    readonly changed: string[];
    /** Changed fields that force a replacement. */
    readonly replaces: string[];
    readonly deleteBeforeReplace: boolean;
}

const absent = (v: unknown) => v === undefined || v === null;

export function sameValue(a: unknown, b: unknown): boolean {
    if (absent(a) && absent(b)) return true;
    return canonicalJson(a) === canonicalJson(b);
}

export function diff(kind: KindName, olds: Record<string, unknown>, news: Record<string, unknown>): DiffResult {
    const decl = kindOf(kind);
    const changed = Object.keys(decl.spec.shape).filter((key) => containsUnknown(news[key]) || !sameValue(olds[key], news[key]));
    const replaces = changed.filter((key) => decl.immutable.includes(key));
    // The platform keeps unique keys (names, subjects, share targets) unique under one parent. A replacement
    // that keeps both must delete the old object first; one that gets a fresh autoname (check runs again
    // with no olds) or moves to another parent is created first and the old one deleted after.
    const parentField = decl.parent?.field;
    const sameParent = !parentField || sameValue(olds[parentField], news[parentField]);
    const sameKey = !containsUnknown(news) && decl.uniqueKey(olds) === decl.uniqueKey(news);
    const freshName = decl.named && news[AUTONAMED_KEY] === true;
    return {
        changes: changed.length > 0,
        changed,
        replaces,
        deleteBeforeReplace: replaces.length > 0 && sameParent && sameKey && !freshName,
    };
}

/** The update patch: changed, replaceable-in-place fields; `null` clears a field the program removed. */
export function patchOf(kind: KindName, olds: Record<string, unknown>, news: Record<string, unknown>): Record<string, unknown> {
    const decl = kindOf(kind);
    const patch: Record<string, unknown> = {};
    for (const key of diff(kind, olds, news).changed) {
        if (decl.immutable.includes(key)) continue;
        patch[key] = absent(news[key]) ? null : news[key];
    }
    return patch;
}
