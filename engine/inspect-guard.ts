// Preloaded (node --require) into the program process: a guard against a Node.js bug, not engine logic.
//
// When a program fails, @pulumi/pulumi/cmd/run formats the error with `util.inspect(err, { colors: true })`. In
// Node.js 20.20 that highlighting (markNodeModules in lib/internal/util/inspect.js) loops without end on a stack
// line where `node_modules/@scope/` is not followed by another path separator, growing a string until "RangeError:
// Invalid string length" some 20-50 seconds later. The SDK's own source maps produce exactly such lines
// (".../node_modules/@pulumi/resource.ts:1687:22"), so every unhandled error in a program took that long to report.
// For such errors the guard asks for the same formatting without colors; nothing else changes.

// The module object itself (not an ES namespace copy), so that replacing `inspect` is seen by every later importer.
import util = require("util");

const TRIGGER = /[/\\]node_modules[/\\]@[^/\\\n]*[/\\][^/\\\n]*$/m;

function triggersBug(value: unknown, depth = 0): boolean {
    if (!(value instanceof Error) || depth > 10) {
        return false;
    }
    return (typeof value.stack === "string" && TRIGGER.test(value.stack)) || triggersBug((value as { cause?: unknown }).cause, depth + 1);
}

const original = util.inspect;
const guarded = function inspect(this: unknown, value: unknown, ...rest: unknown[]): string {
    const [opts] = rest;
    if (typeof opts === "object" && opts !== null && (opts as util.InspectOptions).colors && triggersBug(value)) {
        return original.call(this, value, { ...(opts as util.InspectOptions), colors: false });
    }
    return (original as (...args: unknown[]) => string).call(this, value, ...rest);
};
// util.inspect carries properties (custom, colors, styles, the defaultOptions accessor) that callers rely on.
const { prototype: _p, length: _l, name: _n, ...descriptors } = Object.getOwnPropertyDescriptors(original);
Object.defineProperties(guarded, descriptors);
(util as { inspect: unknown }).inspect = guarded;
