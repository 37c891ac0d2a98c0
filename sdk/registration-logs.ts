// The Pulumi Node SDK's own debug messages about registering this package's resources, left out.
//
// For every resource it registers, the SDK sends three debug messages to the engine: "Registering resource",
// "RegisterResource RPC prepared" and "RegisterResource RPC finished". Each is a gRPC call, sent one after another
// in a single chain that keeps the program alive, with promises of its own. They tell the engine nothing it does
// not log itself about the same registration, and at 5,000 resources they were a third of a preview's time
// (program CPU 22-24 s with them, 14-16 s without; BENCHMARKS.md). Pulumi keeps similar per-resource debug
// messages of its Python SDK, and the Node SDK's duplicate-registration messages, behind a debugging switch for
// the same reason; these three have no switch.
//
// So the SDK's `log.debug` is wrapped to leave out exactly those three messages when they are about a resource of
// this package and report success. Everything else goes through unchanged: the program's own debug messages,
// messages about any other resource, and a failed registration's. PULUMI_MLPLATFORM_SDK_DEBUG_LOGS=1 keeps them all.

import { wrapOnce } from "./wrap";

/**
 * Whether `message` is one of the SDK's three registration messages about a resource of one of `ownTypes`, and not
 * about a failure. The formats are those of @pulumi/pulumi/runtime/resource.js; a message in any other form is kept:
 *   Registering resource: t=<type>, name=<name>, custom=<bool>, remote=<bool>
 *   RegisterResource RPC prepared: t=<type>, name=<name>
 *   RegisterResource RPC finished: resource:<name>[<type>]; err: <error or null>, resp: <response>
 * The last one is judged by the first `[<type>]; err: null, resp: ` in it: a resource named to imitate that text
 * could have one debug message of its own left out, and nothing else.
 */
export function isOwnRegistrationTrace(message: unknown, ownTypes: ReadonlySet<string>): boolean {
    if (typeof message !== "string") return false;
    const started = /^(?:Registering resource|RegisterResource RPC prepared): t=([^,]*), name=/.exec(message);
    if (started) return ownTypes.has(started[1]);
    const finished = /^RegisterResource RPC finished: resource:.*?\[([^[\]]+)\]; err: null, resp: /s.exec(message);
    return finished !== null && ownTypes.has(finished[1]);
}

type Debug = (message: string, ...rest: unknown[]) => Promise<void>;

/**
 * Wraps `log.debug` of the given @pulumi/pulumi log module (the one the program's SDK uses: the SDK calls it through
 * the module, so the wrapper sees its messages) to leave out the registration messages about `ownTypes`; says
 * whether it did.
 */
export function leaveOutRegistrationTraces(logModule: { debug: Debug }, ownTypes: ReadonlySet<string>, env: NodeJS.ProcessEnv = process.env): boolean {
    if (env.PULUMI_MLPLATFORM_SDK_DEBUG_LOGS === "1") return false;
    return wrapOnce<Debug>(logModule, "debug", Symbol.for("pulumi-mlplatform.registration-logs"), (original) =>
        function (this: unknown, message: string, ...rest: unknown[]) {
            return isOwnRegistrationTrace(message, ownTypes) ? Promise.resolve() : original.call(this, message, ...rest);
        });
}
