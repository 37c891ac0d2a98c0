// Child processes (the program and the dynamic provider host) must never outlive the engine, whatever way it
// ends: normal exit, error, or a signal. Every child is tracked here and killed on exit.

import { spawn, type ChildProcess, type SpawnOptions } from "child_process";

const children = new Set<ChildProcess>();

function killAll(): void {
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

process.on("exit", killAll);

/** Spawns `node <args>` with the same Node.js binary as the engine and tracks the child until it exits. */
export function spawnNode(args: readonly string[], options: SpawnOptions): ChildProcess {
    const child = spawn(process.execPath, args, options);
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

/** Called on SIGINT/SIGTERM by the CLI. */
export function killAllChildren(): void {
    killAll();
}
