// diff: which stored fields change, and whether the platform can change them in place. Pure.
// Only the kind's spec fields count: `__provider` (a provider upgrade), the logical name and the plan-time
// context never make a change by themselves.
import { kindOf, KindName } from "../model/kinds";
import { canonicalJson } from "../model/equality";
import { AUTONAMED_KEY, logicalNameOf, OWNER_KEY, programSecretFields } from "../model/inputs";
import { autoName, ownedSuffix, sameSeed, suffixUndecided } from "./names";
import { containsUnknown } from "../model/unknown";

export interface DiffResult {
    readonly changes: boolean;
    /** Changed spec fields, in declaration order. */
    readonly changed: string[];
    /** Changed fields that force a replacement. */
    readonly replaces: string[];
    /** Whether a replacement must delete the old object first (its successor would take its unique key). */
    readonly deleteBeforeReplace: boolean;
}

const absent = (v: unknown) => v === undefined || v === null;

function sameValue(a: unknown, b: unknown): boolean {
    if (absent(a) && absent(b)) return true;
    return canonicalJson(a) === canonicalJson(b);
}

export function diff(kind: KindName, olds: Record<string, unknown>, news: Record<string, unknown>): DiffResult {
    const decl = kindOf(kind);
    // A field the program made secret (or plain) since is sent again, so the platform seals (or unseals) it.
    const secretBefore = programSecretFields(decl, olds);
    const secretNow = programSecretFields(decl, news);
    const secrecyChanged = (key: string) => secretBefore.includes(key) !== secretNow.includes(key);
    const valueChanged = (key: string) => containsUnknown(news[key]) || !sameValue(olds[key], news[key]);
    const changed = Object.keys(decl.spec.shape).filter((key) => valueChanged(key) || secrecyChanged(key));
    // Only a new value replaces: a field that can never change may still become secret, in place.
    const replaces = changed.filter((key) => decl.immutable.includes(key) && valueChanged(key));
    // The platform keeps unique keys (names, subjects, share targets) unique under one parent. A replacement
    // whose new object keeps the old one's key under the same parent must delete the old object first; one
    // that gets a fresh autoname or moves to another parent is created first and the old one deleted after.
    const parentField = decl.parent?.field;
    const sameParent = !parentField || sameValue(olds[parentField], news[parentField]);
    const replacement = { ...news, name: replacementName(kind, olds, news) };
    const sameKey = !containsUnknown(replacement) && decl.uniqueKey(olds) === decl.uniqueKey(replacement);
    return {
        changes: changed.length > 0,
        changed,
        replaces,
        // Said whether or not this diff replaces: the user can force a replacement (`pulumi up --replace`), and
        // the engine then reads this answer too.
        deleteBeforeReplace: sameParent && sameKey,
    };
}

/**
 * The name a replacement would get: check runs again without olds, so an autoname is decided anew (names.ts):
 * from the owner and the fields that replace, or at random where no owner is known (state written before owners).
 */
function replacementName(kind: KindName, olds: Record<string, unknown>, news: Record<string, unknown>): unknown {
    const decl = kindOf(kind);
    if (!decl.named || news[AUTONAMED_KEY] !== true) return news.name;
    const owner = news[OWNER_KEY];
    const logical = logicalNameOf(news);
    if (typeof owner !== "string" || typeof logical !== "string") return undefined; // random: never the old name
    // A seeding field still unknown in preview will most likely differ: plan as a fresh name; up decides again.
    if (suffixUndecided(decl, news)) return undefined;
    // A name unique across the platform also depends on the acting subject, which diff does not know: it is the
    // old name exactly when what seeds it is the same (a name chosen at random before owners reads as the same
    // too, which at worst deletes first).
    if (!decl.parent) return sameSeed(decl, olds, news) ? olds.name : undefined;
    return autoName(logical, () => ownedSuffix(decl, owner, news));
}

/** The update patch: changed, replaceable-in-place fields; `null` clears a field the program removed. */
/**
 * The update patch of a diff: its changed fields but those that replace (an unchanged value of a field that can
 * never change goes along when only its secrecy changed: the platform accepts an equal value).
 */
export function patchOf(d: Pick<DiffResult, "changed" | "replaces">, news: Record<string, unknown>): Record<string, unknown> {
    const patch: Record<string, unknown> = {};
    for (const key of d.changed) {
        if (d.replaces.includes(key)) continue;
        patch[key] = absent(news[key]) ? null : news[key];
    }
    return patch;
}
