// Child processes (the program and the dynamic provider host) must never outlive the engine, whatever way it
// ends: normal exit, error, or a signal. Every child is tracked here and killed on exit; a kill that leaves the
// engine no time for that (SIGKILL) is covered by the children themselves (orphan-guard.ts).

import { spawn, type ChildProcess, type SpawnOptions } from "child_process";

const children = new Set<ChildProcess>();

/** Tells orphan-guard.ts which process started the child (its grandchildren inherit NODE_OPTIONS, not this). */
const ENGINE_PID_ENV = "PULUMI_LOCAL_ENGINE_PID";

/** Kills every child still running: on the engine's exit, and on SIGINT/SIGTERM (cli.ts). */
export function killAllChildren(): void {
    for (const child of children) {
        if (child.exitCode === null && child.signalCode === null) {
            try {
                child.kill("SIGKILL");
            } catch {
                // Already gone.
            }
        }
    }
    children.clear();
}

process.on("exit", killAllChildren);

/**
 * Spawns `node <args>` with the same Node.js binary as the engine and tracks the child until it exits. The child
 * preloads orphan-guard.ts (through NODE_OPTIONS, so that its own argv and execArgv stay as they would be), so that
 * it exits even if the engine is killed without a chance to stop it.
 */
export function spawnNode(args: readonly string[], options: SpawnOptions): ChildProcess {
    const env = options.env ?? process.env;
    const guard = `--require ${JSON.stringify(require.resolve("./orphan-guard"))}`;
    const child = spawn(process.execPath, args, {
        ...options,
        env: { ...env, NODE_OPTIONS: [env.NODE_OPTIONS, guard].filter(Boolean).join(" "), [ENGINE_PID_ENV]: String(process.pid) },
    });
    children.add(child);
    child.once("exit", () => children.delete(child));
    // An 'error' event without a listener would crash the engine; callers learn about failures from 'exit'.
    child.on("error", () => children.delete(child));
    return child;
}

/** Kills a child (if still running) and waits until it has exited. */
export function terminate(child: ChildProcess, graceMs = 2000): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) {
        return Promise.resolve();
    }
    return new Promise((resolve) => {
        const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
        child.once("exit", () => {
            clearTimeout(timer);
            resolve();
        });
        child.kill("SIGTERM");
    });
}

/** Resolves with the exit code once the child exits (a signal counts as 128 + its number, as in a shell). */
export function exitCode(child: ChildProcess): Promise<number> {
    if (child.exitCode !== null) {
        return Promise.resolve(child.exitCode);
    }
    if (child.signalCode !== null) {
        return Promise.resolve(128 + signalNumber(child.signalCode));
    }
    return new Promise((resolve) => {
        child.once("exit", (code, signal) => resolve(code ?? (signal ? 128 + signalNumber(signal) : 1)));
        child.once("error", () => resolve(1));
    });
}

function signalNumber(signal: NodeJS.Signals): number {
    const numbers: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };
    return numbers[signal] ?? 1;
}
