// How many calls the provider has in flight to the platform at once. Pulumi runs independent steps in parallel
// (`--parallel`, 4 per CPU by default) and a cloud API has quotas: one gate per host process, whatever the kinds,
// lets no more than mlplatform:maxConcurrentCalls through; the rest wait their turn in the order they came. A call
// the platform turned away for its quota (RESOURCE_EXHAUSTED) is made again after a pause that grows, and so is one
// that did not get through (UNAVAILABLE) when making it twice cannot do anything twice: a read, a write with an
// idempotency key, a delete by id. The gate is left while pausing, so the others go on.
import type { ControlPlaneClient } from "./client";
import { isPlatformError, PlatformError } from "../model/errors";

/** Calls in flight at once when mlplatform:maxConcurrentCalls is not set: twice Pulumi's default steps on 2 CPUs. */
export const DEFAULT_MAX_CONCURRENT_CALLS = 16;

/** A counting gate: at most `limit` holders at once, the others queued first come, first served. */
export class CallGate {
    private held = 0;
    private readonly waiting: (() => void)[] = [];

    constructor(private max: number) {}

    get limit(): number {
        return this.max;
    }

    /** Calls holding the gate now. */
    get inFlight(): number {
        return this.held;
    }

    /** A new limit (the configuration changed): a higher one lets waiting calls in at once. */
    set limit(max: number) {
        this.max = max;
        this.admit();
    }

    async run<T>(work: () => Promise<T>): Promise<T> {
        if (this.held >= this.max || this.waiting.length > 0) await new Promise<void>((resolve) => this.waiting.push(resolve));
        else this.held++;
        try {
            return await work();
        } finally {
            this.held--;
            this.admit();
        }
    }

    private admit(): void {
        while (this.held < this.max && this.waiting.length > 0) {
            this.held++;
            this.waiting.shift()!();
        }
    }
}

let processGate: CallGate | undefined;

/** The host process's gate, set to `limit` (the configured one, or the default). */
export function callGate(limit: number = DEFAULT_MAX_CONCURRENT_CALLS): CallGate {
    if (!processGate) processGate = new CallGate(limit);
    else if (processGate.limit !== limit) processGate.limit = limit;
    return processGate;
}

/** When to make a refused call again. */
export interface RetryPolicy {
    /** Attempts in all, the first included. */
    readonly attempts: number;
    /** Pause before the second attempt; it doubles (with jitter) up to maxMs. */
    readonly baseMs: number;
    readonly maxMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseMs: 250, maxMs: 8_000 };

type Method = keyof Omit<ControlPlaneClient, "principal" | "location">;

/**
 * Whether a call that may or may not have reached the platform can be made again: reads; creates and updates with
 * an idempotency key (the platform answers a key it has seen with its first result); deletes, by an id that is never
 * given again (a second delete of what the first removed finds nothing, which the provider takes as done).
 */
function safeToRepeat(method: Method, args: unknown[]): boolean {
    switch (method) {
        case "create":
        case "update":
            return typeof (args[0] as { idempotencyKey?: unknown } | undefined)?.idempotencyKey === "string";
        default:
            return true;
    }
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * `client` with every call through `gate`; with `retry`, calls refused for a quota (and, where safe, unavailable)
 * are made again. A client that retries on its own (the DataSphere one) is given no retry here: a call is never
 * retried twice over.
 */
export function limitCalls(client: ControlPlaneClient, gate: CallGate, retry: RetryPolicy | undefined): ControlPlaneClient {
    const call = async <T>(method: Method, args: unknown[]): Promise<T> => {
        const invoke = () => (client[method] as (...a: unknown[]) => Promise<T>)(...args);
        for (let attempt = 1; ; attempt++) {
            try {
                return await gate.run(invoke);
            } catch (e) {
                const again = retry && attempt < retry.attempts
                    && (isPlatformError(e, "RESOURCE_EXHAUSTED") || (isPlatformError(e, "UNAVAILABLE") && safeToRepeat(method, args)));
                if (!again) throw attempt > 1 && isPlatformError(e) ? new PlatformError(e.code, `${e.message} (${attempt} attempts)`, e.failures) : e;
                const ceiling = Math.min(retry.maxMs, retry.baseMs * 2 ** (attempt - 1));
                // Jitter: calls refused together do not come back together.
                await pause(ceiling / 2 + Math.random() * (ceiling / 2));
            }
        }
    };
    return {
        principal: client.principal,
        location: client.location,
        identity: () => call("identity", []),
        create: (req) => call("create", [req]),
        get: (kind, id) => call("get", [kind, id]),
        update: (req) => call("update", [req]),
        delete: (req) => call("delete", [req]),
        list: (req) => call("list", [req]),
    };
}
