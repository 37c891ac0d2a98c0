// How many steps run at once. The Pulumi engine executes steps on `--parallel` workers, each running one chain of
// steps at a time (pkg/resource/deploy/step_executor.go); a Limiter of N slots is those workers, first come first
// served. A Limiter of one slot is the step generator's single loop, where Check and Diff run one at a time.

import * as os from "os";

export class Limiter {
    private running = 0;
    private readonly waiting: (() => void)[] = [];

    constructor(readonly slots: number) {
        if (!Number.isInteger(slots) || slots < 1) throw new Error(`a limiter needs at least one slot, got ${slots}`);
    }

    /** Runs `work` once a slot is free, and frees the slot when it settles. */
    async run<T>(work: () => Promise<T>): Promise<T> {
        if (this.running >= this.slots) {
            await new Promise<void>((resolve) => this.waiting.push(resolve));
        } else {
            this.running++;
        }
        try {
            return await work();
        } finally {
            // The slot passes straight to the next in line, or is freed.
            const next = this.waiting.shift();
            if (next) next();
            else this.running--;
        }
    }
}

/**
 * `text` as a whole number (an optional sign, then digits, spaces around allowed), or undefined when it is not one.
 * `--parallel` and PULUMI_PARALLEL both take one, each refusing anything else with its own message.
 */
export function wholeNumber(text: string): number | undefined {
    const trimmed = text.trim();
    return /^[+-]?\d+$/.test(trimmed) ? Number(trimmed) : undefined;
}

/** The environment variable the Pulumi CLI reads for its default `--parallel` (since 3.154.0). */
export const PARALLEL_ENV = "PULUMI_PARALLEL";

/**
 * The Pulumi CLI's default `--parallel` (pkg/cmd/pulumi/operations/up.go defaultParallel): PULUMI_PARALLEL when it
 * is a positive number, else four steps per CPU. A value that is not a number is refused, naming it.
 */
export function defaultParallel(env: NodeJS.ProcessEnv = process.env): number {
    const text = env[PARALLEL_ENV]?.trim();
    if (text) {
        const n = wholeNumber(text);
        if (n === undefined) {
            throw new Error(`${PARALLEL_ENV} must be a whole number of steps to run at once, got ${JSON.stringify(env[PARALLEL_ENV])}; unset it for the default (4 per CPU)`);
        }
        if (n > 0) return Math.min(n, 2 ** 31 - 1);
    }
    return 4 * os.availableParallelism();
}
