// Physical names: the program's `name` when given, otherwise the logical name plus a suffix decided once.
//
// The suffix is a digest of the resource's owner (its URN, which names the stack) and of the fields whose change
// replaces the object, not a random draw: check runs in preview, again in up and again in a rerun after a crash, and
// each must arrive at the same name, or a retried create makes a second object. A replacement forced by a changed
// field gets a fresh name, so old and new can coexist while the new one is created first; a replacement with no
// changed field (a forced one) keeps the name, and diff then asks for the old object to be deleted first.
// A replacement under another parent keeps its name too: names are unique only among siblings.
import * as crypto from "crypto";
import { OWNER_KEY } from "../model/inputs";
import { KindDecl } from "../model/kinds";
import { canonicalJson } from "../model/equality";
import { containsUnknown } from "../model/unknown";

const SUFFIX_LENGTH = 7;
const MAX_NAME = 63;

/** Fits a Pulumi logical name to the platform's name pattern: lowercase, letters/digits/hyphens. */
export function nameStem(logicalName: string): string {
    let stem = logicalName.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/-+/g, "-").replace(/^-|-$/g, "");
    if (!/^[a-z]/.test(stem)) stem = `r-${stem}`.replace(/-$/, "");
    return stem.slice(0, MAX_NAME - SUFFIX_LENGTH - 1).replace(/-$/, "");
}

export type SuffixSource = () => string;

export function autoName(logicalName: string, suffix: SuffixSource): string {
    const s = suffix();
    if (!/^[a-z0-9]+$/.test(s)) throw new Error(`name suffix must be lowercase letters and digits, got ${JSON.stringify(s)}`);
    return `${nameStem(logicalName)}-${s.slice(0, SUFFIX_LENGTH)}`;
}

export const SUFFIX_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
export { SUFFIX_LENGTH };

/** The fields whose values seed the suffix: those that replace the object, but its name and its parent. */
function seedFields(decl: KindDecl): string[] {
    return decl.immutable.filter((field) => field !== "name" && field !== decl.parent?.field);
}

/** Whether the suffix for these inputs cannot be decided yet (a seeding field is unknown in preview). */
export function suffixUndecided(decl: KindDecl, inputs: Record<string, unknown>): boolean {
    return seedFields(decl).some((field) => containsUnknown(inputs[field]));
}

/** Whether a replacement with `news` would get the name the object has under `olds` (both named from their owner). */
export function sameSeed(decl: KindDecl, olds: Record<string, unknown>, news: Record<string, unknown>): boolean {
    return olds[OWNER_KEY] === news[OWNER_KEY] && seedFields(decl).every((field) => canonicalJson(olds[field] ?? null) === canonicalJson(news[field] ?? null));
}

/**
 * The suffix for an object of this owner with these inputs: the same every time it is asked. Names unique across
 * the whole platform (organizations: they have no parent) also depend on who creates them (`tenant`, the acting
 * subject), so two tenants running the same program on one platform do not both want one name. (Whoever knows a
 * tenant's subject, project and stack names can still compute its name: autonames are not a secret, and a taken
 * name fails the create with ALREADY_EXISTS, never adopts another tenant's object.)
 */
export function ownedSuffix(decl: KindDecl, owner: string, inputs: Record<string, unknown>, tenant?: string): string {
    const seed = Object.fromEntries(seedFields(decl).map((field) => [field, inputs[field] ?? null]));
    const who = decl.parent ? "" : `\n${tenant ?? ""}`;
    const digest = crypto.createHash("sha256").update(`${decl.kind}\n${owner}${who}\n${canonicalJson(seed)}`).digest();
    return Array.from(digest.subarray(0, SUFFIX_LENGTH), (b) => SUFFIX_ALPHABET[b % SUFFIX_ALPHABET.length]).join("");
}
