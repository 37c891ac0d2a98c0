// Crash test: an `up` killed at random moments, the engine (SIGKILL, no chance to clean up) or the dynamic provider
// host (SIGKILL, under a call), then run again until it succeeds, must end with exactly the objects the program
// declares, no duplicates, and a state that agrees with them: the next preview shows no changes.
//
// The kill schedule comes from a seeded random generator: set CRASH_SEED to try another one (the seed and what
// happened in each run are in every failure message).
import { spawn, type ChildProcess } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { assertBuilt, CLI, collect, pass, planLines, summary, type RunResult } from "./harness";

const FIXTURE = path.resolve(__dirname, "fixtures/crash");
const SEED = Number(process.env.CRASH_SEED ?? 3);
const T = "pulumi-nodejs:dynamic:Resource";

/** mulberry32: a tiny seeded generator of numbers in [0, 1). */
function seeded(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Item {
    name: string;
    size: number;
    zone: string;
    /** Takes that item's id as its `upstream` input. */
    after?: string;
}

interface StoredObject {
    id: string;
    name: string;
    size: number;
    zone: string;
    upstream: string;
}

/** One stack of the crash fixture, with its own object store. */
class CrashStack {
    readonly name = `crash-${crypto.randomBytes(4).toString("hex")}`;
    readonly store = fs.mkdtempSync(path.join(os.tmpdir(), "engine-crash-"));
    readonly stateDir = path.join(FIXTURE, ".pulumi-local");
    readonly lockFile = path.join(this.stateDir, `${this.name}.lock`);
    /** What happened, run by run: printed with every failure. */
    readonly history: string[] = [`seed ${SEED}`];

    spawn(command: string, items: Item[], extra: string[]): ChildProcess {
        const args = [
            CLI, command, FIXTURE, "--stack", this.name,
            "--config", `store=${this.store}`, "--config", "delayMs=120", "--config", `spec=${JSON.stringify({ items })}`,
            ...extra,
        ];
        return spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
    }

    run(command: string, items: Item[], extra: string[] = []): Promise<RunResult> {
        return collect(this.spawn(command, items, extra));
    }

    objects(): StoredObject[] {
        return fs
            .readdirSync(this.store)
            .filter((f) => f.endsWith(".json"))
            .map((f) => ({ ...(JSON.parse(fs.readFileSync(path.join(this.store, f), "utf8")) as Omit<StoredObject, "id">), id: f.slice(0, -5) }));
    }

    state(): { resources: { urn: string; id?: string; delete?: boolean }[]; pendingOperations?: unknown[] } {
        return JSON.parse(fs.readFileSync(path.join(this.stateDir, `${this.name}.json`), "utf8"));
    }

    report(): string {
        return this.history.join("\n");
    }

    cleanup(): void {
        for (const ext of ["json", "key", "lock", "journal"]) {
            fs.rmSync(path.join(this.stateDir, `${this.name}.${ext}`), { force: true });
        }
        fs.rmSync(this.store, { recursive: true, force: true });
    }
}

/** Pids of the processes this test started, directly or not, whose environment mentions `text`. */
function processesMentioning(text: string): number[] {
    const pids: number[] = [];
    for (const entry of fs.readdirSync("/proc")) {
        if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
        try {
            if (fs.readFileSync(`/proc/${entry}/environ`, "utf8").includes(text)) pids.push(Number(entry));
        } catch {
            // Gone, or not ours to read.
        }
    }
    return pids;
}

/** The dynamic provider host the engine process `enginePid` is running now, if any. */
function hostOf(enginePid: number): number | undefined {
    for (const entry of fs.readdirSync("/proc")) {
        if (!/^\d+$/.test(entry)) continue;
        try {
            const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
            // "pid (comm) state ppid ...": comm may hold spaces and parentheses.
            const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
            if (ppid === enginePid && fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").includes("dynamic-provider")) {
                return Number(entry);
            }
        } catch {
            // Gone.
        }
    }
    return undefined;
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
        if (Date.now() > deadline) return false;
        await sleep(50);
    }
    return true;
}

/**
 * One `up` killed at a random moment: mostly while the update pass works through its steps (where a kill can leave
 * a mark), sometimes anywhere from its start: the engine itself, or the provider host it runs at that moment. The
 * killed runs skip the preview pass, which changes nothing and would only make the test longer.
 */
async function killedUp(stack: CrashStack, items: Item[], target: "engine" | "host", random: () => number): Promise<void> {
    const started = Date.now();
    const child = stack.spawn("up", items, ["--skip-preview"]);
    const done = collect(child);
    let stdout = "";
    child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
    let exited = false;
    void done.then(() => (exited = true));

    const amidSteps = random() < 0.8;
    const delay = Math.round(random() * (amidSteps ? 1200 : 3000));
    const what = `kill the ${target} ${delay} ms after ${amidSteps ? "the first step" : "the start"}`;
    if (amidSteps) await waitFor(() => exited || planLines(pass(stdout, "Updating")).length > 0, 60_000);
    await waitFor(() => exited, delay);

    let victim: number | undefined;
    if (!exited && target === "engine") {
        victim = child.pid!;
    } else if (!exited) {
        // The host starts with the program: it may not be there yet.
        await waitFor(() => exited || (victim = hostOf(child.pid!)) !== undefined, 10_000);
    }
    if (exited || victim === undefined) {
        const r = await done;
        stack.history.push(`${what}: the run ended first (exit ${r.code}, ${Date.now() - started} ms)`);
        return;
    }
    const steps = planLines(pass(stdout, "Updating")).length;
    process.kill(victim, "SIGKILL");
    const r = await done;
    stack.history.push(
        `${what}: killed after ${steps} step(s), at ${Date.now() - started} ms; exit ${r.code}` +
            `${r.stderr.includes("interrupted:") ? ", reported as interrupted" : ""}` +
            `${r.stderr.includes("previous run was interrupted") ? ", warned of an interrupted operation" : ""}`,
    );

    if (target === "engine") {
        // The program and the host must not outlive the engine (engine/orphan-guard.ts): a host left running could
        // still be changing objects while the next run starts.
        const gone = await waitFor(() => processesMentioning(stack.store).length === 0, 5000);
        expect(gone, `processes left behind by the killed engine: ${processesMentioning(stack.store).join(", ")}\n${stack.report()}`).toBe(true);
        // The killed engine could not release its lock; with no run on the stack, it is removed by hand.
        fs.rmSync(stack.lockFile, { force: true });
    }
}

/** Runs `up --yes` until it succeeds (a run may fail on what a kill left, such as a lost provider call). */
async function upUntilSuccess(stack: CrashStack, items: Item[]): Promise<void> {
    let r: RunResult | undefined;
    for (let attempt = 1; attempt <= 3; attempt++) {
        const started = Date.now();
        r = await stack.run("up", items, ["--yes"]);
        const steps = planLines(pass(r.stdout, "Updating")).map((l) => l.replace(/^(\S+) \S+ {2}(\S+) {2}(.*)$/, "$2 $3"));
        stack.history.push(
            `up #${attempt}: exit ${r.code} in ${Date.now() - started} ms` +
                `${r.stderr.includes("previous run was interrupted") ? ", warned of an interrupted operation" : ""}; ${steps.join(", ") || "no steps"}`,
        );
        if (r.code === 0) return;
    }
    expect.fail(`up never succeeded:\n${r!.stdout}\n${r!.stderr}\n${stack.report()}`);
}

/** The store holds exactly the declared objects, the state agrees with it, and a preview shows no change. */
async function expectConverged(stack: CrashStack, items: Item[]): Promise<void> {
    const objects = stack.objects();
    const report = `${JSON.stringify(objects, null, 1)}\n${stack.report()}`;
    const byName = new Map(objects.map((o) => [o.name, o]));
    expect(objects.map((o) => o.name).sort(), report).toEqual(items.map((i) => `${i.name}-${i.zone}`).sort());
    expect(byName.size, `duplicates in the store\n${report}`).toBe(objects.length);

    const state = stack.state();
    expect(state.pendingOperations ?? [], report).toEqual([]);
    const resources = state.resources.filter((r) => r.urn.includes(`::${T}::`));
    expect(resources.filter((r) => r.delete), report).toEqual([]);
    for (const item of items) {
        const object = byName.get(`${item.name}-${item.zone}`)!;
        expect(object, report).toMatchObject({ size: item.size, zone: item.zone, upstream: item.after ? byName.get(`${item.after}-${items.find((i) => i.name === item.after)!.zone}`)!.id : "" });
        expect(resources.find((r) => r.urn.endsWith(`::${item.name}`))?.id, report).toBe(object.id);
    }
    expect(resources.length, report).toBe(items.length);

    const preview = await stack.run("preview", items);
    expect(preview.code, `${preview.stderr}\n${report}`).toBe(0);
    expect(planLines(preview.stdout), report).toEqual([]);
    expect(summary(preview.stdout), report).toEqual([`${items.length + 1} unchanged`]);
}

describe("engine crash test", () => {
    let stack: CrashStack | undefined;
    beforeAll(assertBuilt);
    afterEach(() => stack?.cleanup());

    it("an up killed at random moments and run again ends with exactly the declared objects and no changes", { timeout: 180_000 }, async () => {
        stack = new CrashStack();
        const random = seeded(SEED);
        const first: Item[] = [
            { name: "a", size: 1, zone: "z1" },
            { name: "b", size: 2, zone: "z1", after: "a" },
            { name: "c", size: 3, zone: "z1" },
            { name: "d", size: 4, zone: "z1", after: "c" },
            { name: "e", size: 5, zone: "z1" },
            { name: "f", size: 6, zone: "z1", after: "e" },
        ];
        // Creates only.
        for (const target of ["engine", "host", "engine"] as const) await killedUp(stack, first, target, random);
        await upUntilSuccess(stack, first);
        await expectConverged(stack, first);

        // Every kind of step: a (updated), b (deleted), c (replaced: a new zone is a new object, created before the
        // old one is deleted), d (updated: its upstream is c's new object), e (unchanged), f (deleted), g and h (new).
        stack.history.push("-- second program --");
        const second: Item[] = [
            { name: "a", size: 10, zone: "z1" },
            { name: "c", size: 3, zone: "z2" },
            { name: "d", size: 4, zone: "z1", after: "c" },
            { name: "e", size: 5, zone: "z1" },
            { name: "g", size: 7, zone: "z1", after: "a" },
            { name: "h", size: 8, zone: "z1", after: "g" },
        ];
        for (const target of ["host", "engine", "host"] as const) await killedUp(stack, second, target, random);
        await upUntilSuccess(stack, second);
        await expectConverged(stack, second);

        // The schedule must have hit something, or the test proves nothing.
        expect(stack.history.filter((h) => h.includes("kill the") && !h.includes("ended first")).length, stack.report()).toBeGreaterThan(0);
        console.log(`crash test:\n  ${stack.report().replace(/\n/g, "\n  ")}`);
    });
});
