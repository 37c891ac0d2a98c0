// preview, up, a no-change preview, a 10% change, up and destroy of generated programs through the local
// engine (the real Pulumi runtime and dynamic-provider host), with wall time and peak memory.
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { childrenCpuSeconds, memorySampler } from "./measure";
import { ROOT, writeFloorProgram, writeProgram } from "./program";

const CLI = path.join(ROOT, "engine/dist/cli.js");

export interface StepFigures {
    step: string;
    seconds: number;
    /** CPU seconds of the engine, the program and the host together. */
    cpuSeconds: number;
    perResourceMs: number;
    programPeakMb: number;
    hostPeakMb: number;
    enginePeakMb: number;
    /** The machine's one-minute load average when the step began and when it ended. */
    load: LoadAverage;
    summary: string;
}

/** The one-minute load average at a step's start and end: on 2 cores others share, wall times stretch with it. */
export interface LoadAverage {
    readonly start: number;
    readonly end: number;
}

/** "2.3" or "2.3-4.1": the load a figure was taken under. */
export const loadText = (load: LoadAverage) => {
    const [low, high] = [load.start, load.end].sort((a, b) => a - b).map((n) => n.toFixed(1));
    return low === high ? low : `${low}-${high}`;
};

export interface E2EFigures {
    resources: number;
    steps: StepFigures[];
    distinctProviders: number;
    stateResources: number;
    /** The same size of plain dynamic resources (program.ts), for comparison. */
    floor?: StepFigures;
}

/**
 * One engine command on the program in `dir`, timed (wall and CPU), with the peak memory of each process; `env` adds
 * variables.
 */
export function runEngine(dir: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; output: string; seconds: number; cpuSeconds: number; peaks: Record<string, number>; load: LoadAverage }> {
    const start = process.hrtime.bigint();
    const loadAtStart = os.loadavg()[0];
    const cpuBefore = childrenCpuSeconds();
    // The program (cmd/run) and the host (cmd/dynamic-provider) are the engine's children; each is found by
    // its command line, and the engine by the program folder it was given.
    const sampler = memorySampler({ program: "cmd/run", host: "cmd/dynamic-provider", engine: `engine/dist/cli.js\0${args[0]}\0${dir}` });
    return new Promise((resolve) => {
        const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
        let output = "";
        child.stdout.on("data", (d) => (output += d));
        child.stderr.on("data", (d) => (output += d));
        child.on("exit", (code) => {
            const peaks = sampler.stop();
            const load = { start: loadAtStart, end: os.loadavg()[0] };
            resolve({ code, output, seconds: Number(process.hrtime.bigint() - start) / 1e9, cpuSeconds: childrenCpuSeconds() - cpuBefore, peaks, load });
        });
    });
}

/** The engine's "Resources:" summary on one line. */
export const summaryOf = (output: string) => (output.match(/Resources:\n([\s\S]*?)(\n\n|$)/)?.[1] ?? "").split("\n").map((l) => l.trim()).filter(Boolean).join("; ");

/** A no-change preview of the floor program (program.ts): the engine's and the SDK's own cost per resource. */
export async function benchFloor(resources: number, workDir: string): Promise<StepFigures> {
    const dir = path.join(workDir, `floor-${resources}`);
    writeFloorProgram(dir, resources);
    const up = await runEngine(dir, ["up", dir, "--yes", "--skip-preview"]);
    if (up.code !== 0) throw new Error(`floor of ${resources}: up exited ${up.code}\n${up.output.slice(-3000)}`);
    const r = await runEngine(dir, ["preview", dir]);
    if (r.code !== 0) throw new Error(`floor of ${resources}: preview exited ${r.code}\n${r.output.slice(-3000)}`);
    fs.rmSync(dir, { recursive: true, force: true });
    return {
        step: "no-change preview", seconds: r.seconds, cpuSeconds: r.cpuSeconds, perResourceMs: (r.seconds / resources) * 1000,
        programPeakMb: r.peaks.program, hostPeakMb: r.peaks.host, enginePeakMb: r.peaks.engine, load: r.load, summary: summaryOf(r.output),
    };
}

export async function benchEndToEnd(resources: number, workDir: string): Promise<E2EFigures> {
    const dir = path.join(workDir, String(resources));
    writeProgram(dir, resources);
    const steps: [string, string[]][] = [
        ["preview", ["preview", dir]],
        ["up", ["up", dir, "--yes", "--skip-preview"]],
        ["no-change preview", ["preview", dir]],
        ["10% change: up", ["up", dir, "--yes", "--skip-preview", "--config", "rev=1"]],
        ["destroy", ["destroy", dir, "--yes", "--skip-preview", "--config", "rev=1"]],
    ];
    const figures: StepFigures[] = [];
    let distinctProviders = 0;
    let stateResources = 0;
    for (const [step, args] of steps) {
        const r = await runEngine(dir, args);
        const summary = summaryOf(r.output);
        if (r.code !== 0) throw new Error(`${resources} resources, ${step}: engine exited ${r.code}\n${r.output.slice(-3000)}`);
        figures.push({
            step, seconds: r.seconds, cpuSeconds: r.cpuSeconds, perResourceMs: (r.seconds / resources) * 1000,
            programPeakMb: r.peaks.program, hostPeakMb: r.peaks.host, enginePeakMb: r.peaks.engine, load: r.load, summary,
        });
        if (step === "up") {
            const state = JSON.parse(fs.readFileSync(path.join(dir, ".pulumi-local/dev.json"), "utf8"));
            const custom = state.resources.filter((x: any) => x.custom);
            stateResources = custom.length;
            // The state refers to each distinct provider text by digest (engine/state.ts): count the references.
            distinctProviders = new Set(custom.map((x: any) => JSON.stringify(x.inputs?.__provider))).size;
        }
    }
    fs.rmSync(dir, { recursive: true, force: true });
    return { resources, steps: figures, distinctProviders, stateResources };
}
