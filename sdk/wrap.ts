// Replacing a function of one of the Pulumi SDK's modules (promise-traces.ts, registration-logs.ts). Both only save
// time and memory: whatever the SDK's module looks like, a program loads and runs, with or without the saving.

/**
 * Replaces `module[key]` with `wrap(original)`, once, and says whether the wrapper is in place. A function already
 * wrapped under `marker` (a Symbol.for, so shared by every copy of this package a program loads) is left alone, and
 * so is anything that is not a function. A module that will not take the wrapper (a frozen object, an ES module
 * namespace, a getter-only export: a later SDK may ship any of them) is left as it is.
 */
export function wrapOnce<F extends (...args: never[]) => unknown>(module: object, key: string, marker: symbol, wrap: (original: F) => F): boolean {
    const slots = module as Record<string, unknown>;
    let original: unknown;
    try {
        original = slots[key];
    } catch {
        return false; // a getter that throws: not ours to touch
    }
    if (typeof original !== "function") return false;
    if ((original as unknown as Record<symbol, unknown>)[marker]) return true;
    const wrapped = Object.assign(wrap(original as F), { [marker]: true });
    try {
        slots[key] = wrapped;
    } catch {
        return false; // read-only in strict mode
    }
    return slots[key] === wrapped; // a setter or a frozen object may ignore the assignment silently
}
