// Physical names: the program's `name` when given, otherwise the logical name plus a random suffix chosen
// once (kept across updates, fresh for a replacement so old and new can coexist).
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
