// How long the DataSphere client waits, and how it pauses between attempts: shared by the calls (transport.ts),
// the operation poller (operations.ts) and the token exchanges (credentials.ts), which all retry the same way.

/** Timing of retries, polls and deadlines. Tests shorten it; nothing else should need to. */
export interface Tuning {
    /** Attempts of a read or a keyed mutation (or a token exchange), the first included. */
    readonly attempts: number;
    /** First pause before a retry; doubles each time (with jitter) up to retryMaxMs. */
    readonly retryBaseMs: number;
    readonly retryMaxMs: number;
    /** How long one call may take. */
    readonly callTimeoutMs: number;
    /** First pause before asking about an operation; grows by half each time up to pollMaxMs. */
    readonly pollFirstMs: number;
    readonly pollMaxMs: number;
    /** How long an operation may run before the provider stops waiting. */
    readonly operationTimeoutMs: number;
    /** How long the VM metadata service has to answer, when no credentials are configured. */
    readonly metadataTimeoutMs: number;
}

export const DEFAULT_TUNING: Tuning = {
    attempts: 5,
    retryBaseMs: 500,
    retryMaxMs: 8_000,
    callTimeoutMs: 60_000,
    pollFirstMs: 250,
    pollMaxMs: 5_000,
    operationTimeoutMs: 30 * 60_000,
    metadataTimeoutMs: 2_000,
};

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The pause before attempt `attempt + 1`: doubling from retryBaseMs up to retryMaxMs, with jitter so that clients retrying together spread out. */
export function pauseBeforeRetry(tuning: Tuning, attempt: number): Promise<void> {
    const ceiling = Math.min(tuning.retryMaxMs, tuning.retryBaseMs * 2 ** (attempt - 1));
    return sleep(ceiling / 2 + Math.random() * (ceiling / 2));
}
