// Replacing a function of one of the Pulumi SDK's modules (promise-traces.ts, registration-logs.ts).

/**
 * Replaces `module[key]` with `wrap(original)`, once: a function already wrapped under `marker` (a Symbol.for, so
 * shared by every copy of this package a program loads) is left alone, and so is anything that is not a function.
 */
export function wrapOnce<F extends (...args: never[]) => unknown>(module: object, key: string, marker: symbol, wrap: (original: F) => F): void {
    const slots = module as Record<string, unknown>;
    const original = slots[key];
    if (typeof original !== "function" || (original as unknown as Record<symbol, unknown>)[marker]) return;
    slots[key] = Object.assign(wrap(original as F), { [marker]: true });
}
