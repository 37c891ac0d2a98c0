// No stack traces recorded for the Pulumi Node SDK's promise-leak report unless that report is asked for.
//
// The SDK passes nearly every promise it makes through `debuggablePromise`, which records `new Error().stack` on it:
// four for each output of each resource, and more for each input that is an output, each registration and each
// log message. `cmd/run` installs source-map-support, so each trace is formatted frame by frame through source maps.
// The traces are read only by the leak report that PULUMI_DEBUG_PROMISE_LEAKS turns on; without it they are made
// and never read. At 5,000 resources that was about 60 traces per resource, ten of them with frames, and seconds
// of the program's time (BENCHMARKS.md).
//
// So, unless the SDK's leak report is on (or PULUMI_MLPLATFORM_SDK_PROMISE_TRACES=1 keeps the traces for another
// reason), `debuggablePromise` runs with no frames to record. The limit is lowered
// only for that call and restored in `finally`. Errors keep their frames: the SDK's preallocated registration
// errors, a transformation's, the program's own. The one code of the program's that can run inside the call is an
// async_hooks init hook (it fires when the SDK chains the promise): a stack it records there has no frames.

import { wrapOnce } from "./wrap";

type DebuggablePromise = <T>(p: Promise<T>, ctx: unknown) => Promise<T>;

/**
 * Wraps `debuggablePromise` of the SDK's debuggable module, and says whether it did. The module's own
 * `debugPromiseLeaks` (read from PULUMI_DEBUG_PROMISE_LEAKS when it loaded) says whether the leak report, the
 * traces' only reader, is on.
 */
export function withoutPromiseTraces(
    debuggableModule: { debuggablePromise: DebuggablePromise; debugPromiseLeaks?: boolean },
    env: NodeJS.ProcessEnv = process.env,
): boolean {
    if (debuggableModule.debugPromiseLeaks || env.PULUMI_MLPLATFORM_SDK_PROMISE_TRACES === "1") return false;
    return wrapOnce<DebuggablePromise>(debuggableModule, "debuggablePromise", Symbol.for("pulumi-mlplatform.promise-traces"), (original) =>
        function <T>(this: unknown, p: Promise<T>, ctx: unknown): Promise<T> {
            const limit = Error.stackTraceLimit;
            Error.stackTraceLimit = 0;
            try {
                return original.call(this, p, ctx) as Promise<T>;
            } finally {
                Error.stackTraceLimit = limit;
            }
        });
}
