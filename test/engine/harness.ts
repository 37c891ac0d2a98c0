// Drives the real engine CLI (engine/dist/cli.js) against the `files` fixture: a real program run by
// @pulumi/pulumi/cmd/run and a real dynamic provider host, both over gRPC. Each test gets its own stack (state in
// the fixture's .pulumi-local/) and its own folder for the toy provider's objects.

import { spawn, type ChildProcess } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadProject } from "../../engine/project";
import { StateStore } from "../../engine/state";
import type { Snapshot } from "../../engine/types";

export const CLI = path.resolve(__dirname, "../../engine/dist/cli.js");
export const FIXTURE = path.resolve(__dirname, "fixtures/files");

export interface RunResult {
    code: number;
    stdout: string;
    stderr: string;
}

export interface ResourceSpec {
    name: string;
    props?: Record<string, unknown>;
    /** input name -> "otherResource.output" */
    refs?: Record<string, string>;
    secrets?: string[];
    parent?: string;
    opts?: Record<string, unknown>;
}

export interface ProgramSpec {
    resources?: ResourceSpec[];
    components?: string[];
    /** `id`: an object's id; `ref`: "resource.output" of a resource the program declares (e.g. "a.id"). */
    gets?: { name: string; id?: string; ref?: string }[];
    exports?: Record<string, string>;
    foreign?: { type: string; name: string }[];
    /** Printed by the program on its stdout. */
    log?: string;
    throw?: string;
}

export function assertBuilt(): void {
    if (!fs.existsSync(CLI)) {
        throw new Error(`${CLI} is missing: run \`npx tsc -p .\` before the engine tests`);
    }
}

/** One stack of the fixture program, with a private object folder. */
export class TestStack {
    readonly name = `t-${crypto.randomBytes(4).toString("hex")}`;
    readonly objects = fs.mkdtempSync(path.join(os.tmpdir(), "engine-objects-"));
    readonly stateFile = path.join(FIXTURE, ".pulumi-local", `${this.name}.json`);
    readonly keyFile = path.join(FIXTURE, ".pulumi-local", `${this.name}.key`);
    readonly lockFile = path.join(FIXTURE, ".pulumi-local", `${this.name}.lock`);
    readonly journalFile = path.join(FIXTURE, ".pulumi-local", `${this.name}.journal`);

    run(command: string, spec: ProgramSpec, extra: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
        return collect(this.spawn(command, spec, extra, env));
    }

    spawn(command: string, spec: ProgramSpec, extra: string[] = [], env: NodeJS.ProcessEnv = {}): ChildProcess {
        const args = [CLI, command, FIXTURE, "--stack", this.name, "--config", `dir=${this.objects}`, "--config", `spec=${JSON.stringify(spec)}`, ...extra];
        // The object folder in the environment marks every process of the run (the program and the provider host
        // inherit it), so a test can find what a run left behind.
        return spawn(process.execPath, args, { env: { ...process.env, ENGINE_TEST_OBJECTS: this.objects, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    }

    preview(spec: ProgramSpec, env?: NodeJS.ProcessEnv): Promise<RunResult> {
        return this.run("preview", spec, [], env);
    }

    /** `up --yes`: a preview pass, then the update. */
    up(spec: ProgramSpec, env?: NodeJS.ProcessEnv): Promise<RunResult> {
        return this.run("up", spec, ["--yes"], env);
    }

    /** `up --skip-preview`: only the update pass (to set a scene quickly). */
    upFast(spec: ProgramSpec, env?: NodeJS.ProcessEnv): Promise<RunResult> {
        return this.run("up", spec, ["--skip-preview"], env);
    }

    /** The provider calls that changed something, in order, e.g. ["create a-1f2e3d", "delete b-0a0b0c"]. */
    mutations(): string[] {
        return this.calls().filter((l) => /^(create|update|delete) /.test(l));
    }

    calls(): string[] {
        const log = path.join(this.objects, "calls.log");
        return fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n").filter(Boolean) : [];
    }

    clearCalls(): void {
        fs.rmSync(path.join(this.objects, "calls.log"), { force: true });
    }

    /** The objects the provider holds, by id. */
    objectIds(): string[] {
        return fs.readdirSync(this.objects).filter((f) => f.endsWith(".json")).map((f) => f.slice(0, -5)).sort();
    }

    readObject(id: string): Record<string, unknown> {
        return JSON.parse(fs.readFileSync(path.join(this.objects, `${id}.json`), "utf8")) as Record<string, unknown>;
    }

    stateText(): string {
        return fs.readFileSync(this.stateFile, "utf8");
    }

    state(): { secrets?: { type: string }; resources: StateEntry[]; pendingOperations?: unknown[] } {
        return JSON.parse(this.stateText()) as { resources: StateEntry[] };
    }

    /** The state as the engine reads it: the file plus the journal a run that stopped half-way left behind. */
    replayedState(): Snapshot {
        return StateStore.open(FIXTURE, loadProject(FIXTURE).name, this.name).snapshot;
    }

    /** The state entry of a dynamic resource by its logical name. */
    resource(name: string): StateEntry | undefined {
        return this.state().resources.find((r) => r.urn.endsWith(`::${name}`) && !r.delete);
    }

    cleanup(): void {
        for (const f of [this.stateFile, this.keyFile, this.lockFile, this.journalFile]) {
            fs.rmSync(f, { force: true });
        }
        fs.rmSync(this.objects, { recursive: true, force: true });
    }
}

export interface StateEntry {
    urn: string;
    type: string;
    id?: string;
    inputs: Record<string, unknown>;
    outputs: Record<string, unknown>;
    dependencies: string[];
    delete?: boolean;
    external?: boolean;
}

export function collect(child: ChildProcess): Promise<RunResult> {
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    return new Promise((resolve) => child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr })));
}

/** Every file under `folder` (state, journal, key, database) whose bytes contain `text`. */
export function filesContaining(folder: string, text: string): string[] {
    const found: string[] = [];
    for (const entry of fs.readdirSync(folder, { withFileTypes: true, recursive: true })) {
        const file = path.join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name);
        if (entry.isFile() && fs.readFileSync(file).includes(text)) found.push(path.relative(folder, file));
    }
    return found;
}

const HEADERS = ["Previewing update", "Updating", "Previewing refresh", "Refreshing", "Previewing destroy", "Destroying"] as const;
export type Pass = (typeof HEADERS)[number];

/** The output of one pass (e.g. "Updating") of a command: from its header to the next pass's header. */
export function pass(stdout: string, header: Pass): string {
    const lines = stdout.split("\n");
    const start = lines.findIndex((l) => l.startsWith(`${header} (`));
    if (start < 0) {
        return "";
    }
    const end = lines.findIndex((l, i) => i > start && HEADERS.some((h) => l.startsWith(`${h} (`)));
    return lines.slice(start, end < 0 ? undefined : end).join("\n");
}

/** The resource lines of a pass (those starting with an op symbol), trimmed. */
export function planLines(text: string): string[] {
    return text.split("\n").filter((l) => /^ {4}(\+-|--|\+|~|-|>>|>|<) \S+  \S/.test(l)).map((l) => l.trim());
}

/** The "Resources:" summary of a pass, one entry per line, trimmed. */
export function summary(text: string): string[] {
    const block = text.split("Resources:\n")[1] ?? "";
    return block.split("\n\n")[0].split("\n").map((l) => l.trim()).filter(Boolean);
}
