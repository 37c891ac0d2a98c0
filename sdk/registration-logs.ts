// The Pulumi Node SDK's own debug messages about registering this package's resources, left out.
//
// For every resource it registers, the SDK sends three debug messages to the engine: "Registering resource",
// "RegisterResource RPC prepared" and "RegisterResource RPC finished". Each is a gRPC call, sent one after another
// in a single chain that keeps the program alive, and each but the first formats a stack trace through
// source-map-support. They tell the engine nothing it does not log itself about the same registration, and at
// 5,000 resources they were a third of a preview's time (program CPU 22-24 s with them, 14-15 s without;
// BENCHMARKS.md). Pulumi keeps similar per-resource debug messages of its Python SDK, and the Node SDK's
// duplicate-registration messages, behind a debugging switch for the same reason; these three have no switch.
//
// So the SDK's `log.debug` is wrapped to leave out exactly those three messages when they are about a resource of
// this package and report success. Everything else goes through unchanged: the program's own debug messages,
// messages about any other resource, and a failed registration's. PULUMI_MLPLATFORM_SDK_DEBUG_LOGS=1 keeps them all.

/** The type token every resource of this package has: `pulumi-nodejs:dynamic/mlplatform:<Kind>`. */
const TYPE_PREFIX = "pulumi-nodejs:dynamic/mlplatform:";

/**
 * Whether `message` is one of the SDK's three registration messages about a resource of this package, and not about a
 * failure. The formats are those of @pulumi/pulumi/runtime/resource.js; a message in any other form is kept.
 */
export function isOwnRegistrationTrace(message: unknown): boolean {
    if (typeof message !== "string") return false;
    if (message.startsWith(`Registering resource: t=${TYPE_PREFIX}`)) return true;
    if (message.startsWith(`RegisterResource RPC prepared: t=${TYPE_PREFIX}`)) return true;
    // `RegisterResource RPC finished: resource:<name>[<type>]; err: <error or null>, resp: ...`
    return /^RegisterResource RPC finished: resource:.*\[pulumi-nodejs:dynamic\/mlplatform:[A-Za-z]+\]; err: null, resp: /s.test(message);
}

type Debug = (message: string, ...rest: unknown[]) => Promise<void>;
const WRAPPED = Symbol.for("pulumi-mlplatform.registration-logs");

/**
 * Wraps `log.debug` of the given @pulumi/pulumi log module (the one the program's SDK uses: the SDK calls it through
 * the module, so the wrapper sees its messages). Once per module, however many copies of this package are loaded.
 */
export function leaveOutRegistrationTraces(logModule: { debug: Debug }, env: NodeJS.ProcessEnv = process.env): void {
    if (env.PULUMI_MLPLATFORM_SDK_DEBUG_LOGS === "1") return;
    const original = logModule.debug as Debug & { [WRAPPED]?: true };
    if (typeof original !== "function" || original[WRAPPED]) return;
    const wrapped: Debug & { [WRAPPED]?: true } = function (this: unknown, message: string, ...rest: unknown[]) {
        return isOwnRegistrationTrace(message) ? Promise.resolve() : original.call(this, message, ...rest);
    };
    wrapped[WRAPPED] = true;
    logModule.debug = wrapped;
}
