// Crash test: an `up` killed at random moments, the engine (SIGKILL, no chance to clean up) or the dynamic provider
// host (SIGKILL, under a call), then run again until it succeeds, must end with exactly the objects the program
// declares, no duplicates, and a state that agrees with them: the next preview shows no changes. Two programs: a
// small fixture provider that stores objects as files (fixtures/crash), and the real pulumi-mlplatform package on
// its embedded control plane (fixtures/mlplatform).
//
// The kill schedule comes from a seeded random generator: set CRASH_SEED to try another one (the seed and what
// happened in each run are in every failure message).
import Database from "better-sqlite3";
import { spawn, type ChildProcess } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadProject } from "../../engine/project";
import { StateStore } from "../../engine/state";
import type { Snapshot } from "../../engine/types";
import { assertBuilt, CLI, collect, pass, planLines, summary, type RunResult } from "./harness";

const SEED = Number(process.env.CRASH_SEED ?? 3);
/** The warning of a real up about what a killed run left pending (deployment_executor.go printPendingOperationsWarning). */
const PENDING_WARNING = "pending operations from previous deployment";
const DYNAMIC = "pulumi-nodejs:dynamic";

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

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
        if (Date.now() > deadline) return false;
        await sleep(50);
    }
    return true;
}

interface StateEntry {
    urn: string;
    type: string;
    id?: string;
    custom?: boolean;
    external?: boolean;
    delete?: boolean;
}

/**
 * One stack of a program under test, with a folder of its own for what the provider stores (its path is in the
 * environment of every process of a run, ENGINE_CRASH_STORE, which is how the test finds what a killed engine may have
 * left running).
 */
class CrashStack {
    readonly name = `crash-${crypto.randomBytes(4).toString("hex")}`;
    readonly store = fs.mkdtempSync(path.join(os.tmpdir(), "engine-crash-"));
    readonly stateDir: string;
    readonly lockFile: string;
    /** What happened, run by run: printed with every failure. */
    readonly history: string[] = [`seed ${SEED}`];

    constructor(
        readonly dir: string,
        /** The stack's config for a program version, as `--config` values; `store` is the stack's own folder. */
        private readonly config: (version: number, store: string) => string[],
    ) {
        this.stateDir = path.join(dir, ".pulumi-local");
        this.lockFile = path.join(this.stateDir, `${this.name}.lock`);
    }

    spawn(command: string, version: number, extra: string[]): ChildProcess {
        const config = this.config(version, this.store).flatMap((c) => ["--config", c]);
        // The store in the environment marks every process of the run: the program and the provider host inherit it.
        return spawn(process.execPath, [CLI, command, this.dir, "--stack", this.name, ...config, ...extra], { env: { ...process.env, ENGINE_CRASH_STORE: this.store }, stdio: ["ignore", "pipe", "pipe"] });
    }

    run(command: string, version: number, extra: string[] = []): Promise<RunResult> {
        return collect(this.spawn(command, version, extra));
    }

    state(): { resources: StateEntry[]; pendingOperations?: { operation: string }[] } {
        return JSON.parse(fs.readFileSync(path.join(this.stateDir, `${this.name}.json`), "utf8"));
    }

    /** The resources the stack manages through a provider (not the stack, components, or objects only read). */
    managed(): StateEntry[] {
        return this.state().resources.filter((r) => r.type.startsWith(DYNAMIC) && !r.external);
    }

    /** The state as the engine reads it: the file and the journal a killed run left. */
    replayed(): Snapshot {
        return StateStore.open(this.dir, loadProject(this.dir).name, this.name).snapshot;
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

/** Pids of processes whose environment mentions `text`. */
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

/**
 * One `up` killed at a random moment: mostly while the update pass works through its steps (where a kill can leave
 * a mark), just after a random one of its `steps` (the next one is then under way) and up to `stepMs` later;
 * sometimes anywhere in its first 3 s. The victim is the engine itself, or the provider host it runs at that
 * moment. The killed runs skip the preview pass, which changes nothing and would only make the test longer.
 */
async function killedUp(stack: CrashStack, version: number, target: "engine" | "host", random: () => number, steps: number, stepMs: number): Promise<void> {
    const started = Date.now();
    const child = stack.spawn("up", version, ["--skip-preview"]);
    const done = collect(child);
    let stdout = "";
    child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
    let exited = false;
    void done.then(() => (exited = true));

    const amidSteps = random() < 0.8;
    const after = 1 + Math.floor(random() * steps);
    const delay = Math.round(random() * (amidSteps ? stepMs : 3000));
    const what = `kill the ${target} ${delay} ms after ${amidSteps ? `step ${after}` : "the start"}`;
    if (amidSteps) await waitFor(() => exited || planLines(pass(stdout, "Updating")).length >= after, 60_000);
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
    const finished = planLines(pass(stdout, "Updating")).length;
    process.kill(victim, "SIGKILL");
    const r = await done;
    // Steps run in parallel: the state as the engine will read it holds one pending operation for each call under way.
    const pending = stack.replayed().pendingOperations.length;
    stack.history.push(
        `${what}: killed after ${finished} step(s), at ${Date.now() - started} ms, ${pending} operation(s) pending; exit ${r.code}` +
            `${r.stderr.includes("interrupted:") ? ", reported as interrupted" : ""}` +
            `${r.stderr.includes(PENDING_WARNING) ? ", warned of pending operations" : ""}`,
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
async function upUntilSuccess(stack: CrashStack, version: number): Promise<void> {
    let r: RunResult | undefined;
    for (let attempt = 1; attempt <= 3; attempt++) {
        const started = Date.now();
        r = await stack.run("up", version, ["--yes"]);
        const steps = planLines(pass(r.stdout, "Updating")).map((l) => l.replace(/^(\S+) \S+ {2}(\S+) {2}(.*)$/, "$2 $3"));
        stack.history.push(
            `up #${attempt}: exit ${r.code} in ${Date.now() - started} ms` +
                `${r.stderr.includes(PENDING_WARNING) ? ", warned of pending operations" : ""}; ${steps.join(", ") || "no steps"}`,
        );
        if (r.code === 0) return;
    }
    expect.fail(`up never succeeded:\n${r!.stdout}\n${r!.stderr}\n${stack.report()}`);
}

/**
 * The rerun settled everything but the creates a kill interrupted, which stay pending as in the Pulumi engine (only a
 * person knows whether such a create made an object); the warning's advice, `refresh --clear-pending-creates` (the
 * reruns made each object, adopting the one an interrupted create left), leaves nothing pending, nothing drifted, and
 * a preview with no change (reads aside).
 */
async function expectSettled(stack: CrashStack, version: number, report: string): Promise<void> {
    const state = stack.state();
    expect((state.pendingOperations ?? []).filter((p) => p.operation !== "creating"), report).toEqual([]);
    expect(state.resources.filter((r) => r.delete), report).toEqual([]);
    const refresh = await stack.run("refresh", version, ["--yes", "--clear-pending-creates"]);
    expect(refresh.code, `${refresh.stderr}\n${report}`).toBe(0);
    expect(summary(pass(refresh.stdout, "Refreshing")), report).toEqual([`${stack.state().resources.length} unchanged`]);
    expect(stack.state().pendingOperations ?? [], report).toEqual([]);
    const preview = await stack.run("preview", version);
    expect(preview.code, `${preview.stderr}\n${report}`).toBe(0);
    expect(planLines(preview.stdout).filter((l) => !l.endsWith("  read")), report).toEqual([]);
    expect(summary(preview.stdout), report).toEqual([`${stack.managed().length + 1} unchanged`]);
}

interface Version {
    version: number;
    /** Whom to kill, one killed run each. */
    targets: ("engine" | "host")[];
    /** How many steps (plan lines) the update pass of this version shows when it runs whole. */
    steps: number;
}

async function crashAndConverge(stack: CrashStack, versions: Version[], stepMs: number, expectStore: (version: number, report: string) => void): Promise<void> {
    const random = seeded(SEED);
    for (const { version, targets, steps } of versions) {
        stack.history.push(`-- program version ${version} --`);
        for (const target of targets) await killedUp(stack, version, target, random, steps, stepMs);
        await upUntilSuccess(stack, version);
        const report = stack.report();
        expectStore(version, report);
        await expectSettled(stack, version, report);
    }
    // The schedule must have hit something, or the test proves nothing. (A kill with several calls under way at once
    // is in parallel.test.ts, where it does not depend on timing.)
    expect(stack.history.filter((h) => h.startsWith("kill the") && !h.includes("ended first")).length, stack.report()).toBeGreaterThan(0);
    console.log(`${path.basename(stack.dir)}:\n  ${stack.report().replace(/\n/g, "\n  ")}`);
}

// ---- the fixture provider ----------------------------------------------------------------------------------

interface Item {
    name: string;
    size: number;
    zone: string;
    /** Takes that item's id as its `upstream` input. */
    after?: string;
}

/**
 * Version 1 creates; version 2 has every kind of step: a (updated), b (deleted), c (replaced: a new zone is a new
 * object, created before the old one is deleted), d (updated: its upstream is c's new object), e (unchanged), f
 * (deleted), g and h (new).
 */
const ITEMS: Record<number, Item[]> = {
    1: [
        { name: "a", size: 1, zone: "z1" },
        { name: "b", size: 2, zone: "z1", after: "a" },
        { name: "c", size: 3, zone: "z1" },
        { name: "d", size: 4, zone: "z1", after: "c" },
        { name: "e", size: 5, zone: "z1" },
        { name: "f", size: 6, zone: "z1", after: "e" },
    ],
    2: [
        { name: "a", size: 10, zone: "z1" },
        { name: "c", size: 3, zone: "z2" },
        { name: "d", size: 4, zone: "z1", after: "c" },
        { name: "e", size: 5, zone: "z1" },
        { name: "g", size: 7, zone: "z1", after: "a" },
        { name: "h", size: 8, zone: "z1", after: "g" },
    ],
};

interface StoredObject {
    id: string;
    name: string;
    size: number;
    zone: string;
    upstream: string;
}

function fixtureObjects(store: string): StoredObject[] {
    return fs
        .readdirSync(store)
        .filter((f) => f.endsWith(".json"))
        .map((f) => ({ ...(JSON.parse(fs.readFileSync(path.join(store, f), "utf8")) as Omit<StoredObject, "id">), id: f.slice(0, -5) }));
}

// ---- the real package ----------------------------------------------------------------------------------------

interface PlatformObject {
    id: string;
    kind: string;
    name: string | null;
}

/** The objects of the embedded control plane, but those the platform makes itself (an organization's default community). */
function platformObjects(dataDir: string): PlatformObject[] {
    const db = new Database(path.join(dataDir, "platform.db"), { readonly: true });
    try {
        return db.prepare("SELECT id, kind, name FROM objects WHERE system = 0 ORDER BY kind, name").all() as PlatformObject[];
    } finally {
        db.close();
    }
}

describe("engine crash test", () => {
    let stack: CrashStack | undefined;
    beforeAll(assertBuilt);
    afterEach(() => stack?.cleanup());

    it("an up killed at random moments and run again ends with exactly the declared objects and no changes", { timeout: 180_000 }, async () => {
        const s = new CrashStack(path.resolve(__dirname, "fixtures/crash"), (v, store) => [`store=${store}`, "delayMs=120", `spec=${JSON.stringify({ items: ITEMS[v] })}`]);
        stack = s;
        await crashAndConverge(
            s,
            [
                { version: 1, targets: ["engine", "host", "engine"], steps: 7 },
                { version: 2, targets: ["host", "engine", "host"], steps: 8 },
            ],
            150,
            (version, report) => {
                const items = ITEMS[version];
                const objects = fixtureObjects(s.store);
                const detail = `${JSON.stringify(objects, null, 1)}\n${report}`;
                const byName = new Map(objects.map((o) => [o.name, o]));
                expect(byName.size, `duplicates in the store\n${detail}`).toBe(objects.length);
                expect([...byName.keys()].sort(), detail).toEqual(items.map((i) => `${i.name}-${i.zone}`).sort());
                const physical = (name: string) => byName.get(`${name}-${items.find((i) => i.name === name)!.zone}`)!;
                const managed = s.managed();
                expect(managed.length, detail).toBe(items.length);
                for (const item of items) {
                    expect(physical(item.name), detail).toMatchObject({ size: item.size, zone: item.zone, upstream: item.after ? physical(item.after).id : "" });
                    expect(managed.find((r) => r.urn.endsWith(`::${item.name}`))?.id, detail).toBe(physical(item.name).id);
                }
            },
        );
    });

    it("the same with the real package on its embedded control plane", { timeout: 180_000 }, async () => {
        const s = new CrashStack(path.resolve(__dirname, "fixtures/mlplatform"), (v, store) => [`mlplatform:dataDir=${store}`, `phase=${v}`]);
        stack = s;
        // Resources of the program in each version, by type and name (fixtures/mlplatform/index.js).
        const declared: Record<number, string[]> = {
            1: ["Organization acme", "BillingAccount main", "Community research", "BillingLink research-billing", "Project training", "Dataset images", "Secret api-token", "DockerImage trainer"],
            2: ["Organization acme", "BillingAccount main", "Community research", "BillingLink research-billing", "Project training", "Dataset images", "Secret api-token", "Dataset features", "Model classifier"],
        };
        await crashAndConverge(
            s,
            [
                { version: 1, targets: ["engine", "host"], steps: 10 },
                { version: 2, targets: ["host", "engine"], steps: 6 },
            ],
            30,
            (version, report) => {
                const objects = platformObjects(s.store);
                const managed = s.managed();
                const detail = `objects: ${JSON.stringify(objects)}\nstate: ${JSON.stringify(managed.map((r) => [r.urn.split("::").pop(), r.id]))}\n${report}`;
                expect(managed.map((r) => `${r.type.split(":").pop()} ${r.urn.split("::").pop()}`).sort(), detail).toEqual([...declared[version]].sort());
                // Exactly one object for each resource of the state, and no other: nothing lost, nothing made twice.
                expect(objects.map((o) => o.id).sort(), detail).toEqual(managed.map((r) => r.id).sort());
            },
        );
    });
});
