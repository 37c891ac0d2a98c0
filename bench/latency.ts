// The same generated stacks against a platform that takes time: a served control plane (the real server, in this
// process) whose every request waits `callMs` and every create, update or delete `mutationMs` more, as a remote
// API and its long-running operations do. Each step is measured beside what the dependency graph allows: its
// critical path (the longest chain of steps that must run one after another, each costing what its call waits) and
// the sum of every step's wait (what an engine running one step at a time cannot beat). The server counts the
// calls each step makes and the most it had in flight at once. Beside each step, the same graph of plain dynamic
// resources that only wait (program.ts latencyFloorSource): what the engine and the Pulumi runtime take for that
// graph whatever the provider, so that what the provider adds is seen apart from what any dynamic provider pays.
import * as fs from "fs";
import * as path from "path";
import { kindOf } from "../provider/model/kinds";
import type { SimulatedLatency } from "../provider/controlplane/server";
import { serveControlPlane } from "../test/support/served";
import { LoadAverage, runEngine, summaryOf } from "./e2e";
import { FloorNode, writeLatencyFloorProgram, writeProgram } from "./program";

export interface LatencyStep {
    step: string;
    seconds: number;
    /** Requests the control plane answered during the step, in all and by operation. */
    calls: number;
    byOperation: Record<string, number>;
    maxInFlight: number;
    /** From the first call's arrival to the last answer: the step without the start of its processes. */
    callSpanSeconds: number;
    /** The longest chain of dependent steps, each costing its calls' wait. */
    criticalPathSeconds: number;
    /** Every step's wait added up: a one-at-a-time engine's floor. */
    serialSeconds: number;
    load: LoadAverage;
    summary: string;
    /** The same step of the same graph made of plain dynamic resources that only wait: seconds, and its summary. */
    plain?: { seconds: number; criticalPathSeconds: number; load: LoadAverage; summary: string };
}

export interface LatencyFigures {
    resources: number;
    latency: SimulatedLatency;
    maxConcurrentCalls: number;
    /** The engine's --parallel; undefined: the engine's default (engineDefaultParallel). */
    parallel?: number;
    steps: LatencyStep[];
}

/** A resource of the graph: its dependencies, and what its step costs in seconds (0: no call to the platform). */
export interface GraphNode {
    readonly urn: string;
    readonly dependencies: readonly string[];
    readonly cost: number;
}

/**
 * The heaviest chain through the dependency graph, each node weighing its cost: the least time any engine needs,
 * since a step starts only once the steps it depends on are done. Dependencies outside the graph weigh nothing.
 * The same chain bounds deletes, which run the graph backwards.
 */
export function criticalPath(nodes: readonly GraphNode[]): number {
    const byUrn = new Map(nodes.map((n) => [n.urn, n]));
    const finish = new Map<string, number>();
    const visiting = new Set<string>();
    const finishOf = (node: GraphNode): number => {
        const known = finish.get(node.urn);
        if (known !== undefined) return known;
        if (visiting.has(node.urn)) throw new Error(`the state's dependencies loop through ${node.urn}`);
        visiting.add(node.urn);
        let start = 0;
        for (const dep of node.dependencies) {
            const before = byUrn.get(dep);
            if (before) start = Math.max(start, finishOf(before));
        }
        visiting.delete(node.urn);
        finish.set(node.urn, start + node.cost);
        return start + node.cost;
    };
    return nodes.reduce((longest, node) => Math.max(longest, finishOf(node)), 0);
}

interface StateResource {
    urn: string;
    type: string;
    custom?: boolean;
    dependencies?: string[];
    inputs?: { description?: string; rev?: string; callsOnDelete?: boolean };
    outputs?: { platform?: { version?: number }; rev?: string };
}

const KIND_TYPE = /^pulumi-nodejs:dynamic\/mlplatform:(\w+)$/;

/** The stack's custom resources (this package's, or the plain ones of the floor), from the local engine's state file. */
function stackResources(dir: string, type: RegExp = KIND_TYPE): StateResource[] {
    const state = JSON.parse(fs.readFileSync(path.join(dir, ".pulumi-local/dev.json"), "utf8"));
    return (state.resources as StateResource[]).filter((r) => r.custom && type.test(r.type));
}

const PLAIN_TYPE = /^pulumi-nodejs:dynamic:Resource$/;
const nameOf = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);

/**
 * The provider's stack as plain resources repeat it: the state's dependencies (in the state's order, which is an
 * order of registration, so each comes after what it depends on), the resources the revision updates (their
 * description carries it, program.ts) and those whose delete calls the platform.
 */
function floorNodes(resources: StateResource[]): FloorNode[] {
    const names = new Map(resources.map((r) => [r.urn, nameOf(r.urn)]));
    return resources.map((r) => ({
        name: names.get(r.urn)!,
        dependsOn: (r.dependencies ?? []).filter((d) => names.has(d)).map((d) => names.get(d)!),
        changes: r.inputs?.description?.startsWith("rev ") ?? false,
        callsOnDelete: deletable(r),
    }));
}

/** Whether the platform's version of a resource moved between two states: it was updated in between. */
function updatedSince(before: StateResource[]): (r: StateResource) => boolean {
    const versions = new Map(before.map((r) => [r.urn, r.outputs?.platform?.version]));
    return (r) => versions.get(r.urn) !== r.outputs?.platform?.version;
}

/**
 * The resources as a graph: a step that calls the platform (`costs`) waits `perStep` seconds, one that does not
 * (an unchanged resource; the delete of a billing link, which goes with its community) nothing.
 */
function graph(resources: StateResource[], perStep: number, costs: (r: StateResource) => boolean): GraphNode[] {
    return resources.map((r) => ({ urn: r.urn, dependencies: r.dependencies ?? [], cost: costs(r) ? perStep : 0 }));
}

const deletable = (r: StateResource) => !kindOf(KIND_TYPE.exec(r.type)![1]).goesOnlyWithParent;

/** The local engine's --parallel when none is given (PULUMI_PARALLEL, else 4 per CPU), from the built engine. */
export function engineDefaultParallel(): number {
    const limiter: { defaultParallel(): number } = require(path.resolve(__dirname, "../..", "engine/dist/limiter.js"));
    return limiter.defaultParallel();
}

/** The four steps of a latency run, each with the graph its critical path is taken from (once the step is done). */
function latencyPlan(dir: string, perStep: number, type: RegExp, updated: (before: StateResource[]) => (r: StateResource) => boolean, callsOnDelete: (r: StateResource) => boolean) {
    let before: StateResource[] = [];
    const steps: [string, string[], () => GraphNode[]][] = [
        ["up", ["up", dir, "--yes", "--skip-preview"], () => graph(stackResources(dir, type), perStep, () => true)],
        ["no-change preview", ["preview", dir], () => []],
        ["10% change: up", ["up", dir, "--yes", "--skip-preview", "--config", "rev=1"], () => graph(stackResources(dir, type), perStep, updated(before))],
        ["destroy", ["destroy", dir, "--yes", "--skip-preview", "--config", "rev=1"], () => graph(before, perStep, callsOnDelete)],
    ];
    return steps.map(([step, args, nodesOf]) => ({
        step, args, nodesOf,
        /** Reads the state the step starts from (the graph of a destroy or a change is the one before it). */
        begin: () => {
            before = fs.existsSync(path.join(dir, ".pulumi-local/dev.json")) ? stackResources(dir, type) : [];
        },
    }));
}

/** Whether the plain resource's revision moved between two states. */
function revisedSince(before: StateResource[]): (r: StateResource) => boolean {
    const revisions = new Map(before.map((r) => [r.urn, r.outputs?.rev]));
    return (r) => revisions.get(r.urn) !== r.outputs?.rev;
}

export async function benchLatency(resources: number, workDir: string, options: { latency: SimulatedLatency; maxConcurrentCalls: number; parallel?: number; plain: boolean }): Promise<LatencyFigures> {
    const dir = path.join(workDir, `latency-${resources}`);
    const floorDir = path.join(workDir, `latency-floor-${resources}`);
    writeProgram(dir, resources);
    const served = await serveControlPlane("bench-token=userAccount:owner", { latency: options.latency });
    const perMutation = (options.latency.callMs + options.latency.mutationMs) / 1000;
    const parallel = options.parallel ? ["--parallel", String(options.parallel)] : [];
    const config = ["--config", `mlplatform:endpoint=${served.endpoint}`, "--config", `mlplatform:maxConcurrentCalls=${options.maxConcurrentCalls}`, ...parallel];
    const steps: LatencyStep[] = [];
    let graphOfUp: FloorNode[] = [];
    try {
        for (const { step, args, nodesOf, begin } of latencyPlan(dir, perMutation, KIND_TYPE, updatedSince, deletable)) {
            begin();
            served.reset();
            const r = await runEngine(dir, [...args, ...config], { MLPLATFORM_TOKEN: "bench-token" });
            if (r.code !== 0) throw new Error(`${resources} resources against latency, ${step}: engine exited ${r.code}\n${r.output.slice(-3000)}`);
            if (step === "up") graphOfUp = floorNodes(stackResources(dir));
            const stats = served.stats();
            const nodes = nodesOf();
            steps.push({
                step, seconds: r.seconds, calls: stats.total, byOperation: stats.byOperation, maxInFlight: stats.maxInFlight, callSpanSeconds: stats.callSpanSeconds,
                criticalPathSeconds: criticalPath(nodes), serialSeconds: nodes.reduce((sum, n) => sum + n.cost, 0), load: r.load, summary: summaryOf(r.output),
            });
        }
    } finally {
        await served.close();
        fs.rmSync(dir, { recursive: true, force: true });
    }
    if (!options.plain) return { resources, latency: options.latency, maxConcurrentCalls: options.maxConcurrentCalls, parallel: options.parallel, steps };
    // The same graph of plain resources, each step waiting what the platform's call and mutation wait.
    writeLatencyFloorProgram(floorDir, graphOfUp, Math.round(perMutation * 1000));
    try {
        const plan = latencyPlan(floorDir, perMutation, PLAIN_TYPE, revisedSince, (r) => r.inputs?.callsOnDelete === true);
        for (const [i, { step, args, nodesOf, begin }] of plan.entries()) {
            begin();
            const r = await runEngine(floorDir, [...args, ...parallel]);
            if (r.code !== 0) throw new Error(`${resources} plain resources against latency, ${step}: engine exited ${r.code}\n${r.output.slice(-3000)}`);
            const plainPath = criticalPath(nodesOf());
            // The floor must be the same graph with the same waits: its own state's critical path says whether it is.
            if (Math.abs(plainPath - steps[i].criticalPathSeconds) > 1e-6) {
                throw new Error(`${resources} plain resources, ${step}: critical path ${plainPath} s, not the provider's ${steps[i].criticalPathSeconds} s: the floor did not repeat the graph`);
            }
            steps[i].plain = { seconds: r.seconds, criticalPathSeconds: plainPath, load: r.load, summary: summaryOf(r.output) };
        }
    } finally {
        fs.rmSync(floorDir, { recursive: true, force: true });
    }
    return { resources, latency: options.latency, maxConcurrentCalls: options.maxConcurrentCalls, parallel: options.parallel, steps };
}
