// Generates a JavaScript program of N resources: a realistic mix of every kind, in blocks of 64 per
// organization (communities with billing links and members, projects, one resource of each project kind,
// shares between the two communities). JavaScript, not TypeScript: the figures then measure the provider
// and the engine, not ts-node's type check.
import * as fs from "fs";
import * as path from "path";

/** Resources one organization block holds. */
export const BLOCK = 64;

export function programSource(resources: number): string {
    const lines: string[] = [
        `"use strict";`,
        `const pulumi = require("@pulumi/pulumi");`,
        `const ml = require("pulumi-mlplatform");`,
        `const rev = new pulumi.Config().get("rev") || "0";`,
        `// one described resource in seven carries the revision: 47 of every 64 resources have a description,`,
        `// so changing the revision updates about 10% of the stack`,
        `let described = 0;`,
        `const d = () => (described++ % 7 === 0 ? "rev " + rev : "static");`,
        `let n = 0;`,
        `const total = ${resources};`,
        `const more = () => n < total;`,
        `const add = (make) => { if (!more()) return undefined; n++; return make(); };`,
        `for (let b = 0; more(); b++) {`,
        `  const org = add(() => new ml.Organization("org" + b, { displayName: "Org " + b, defaultZone: "ru-central1-a", description: d() }));`,
        `  const acc = add(() => new ml.BillingAccount("acc" + b, { organization: org, status: "active" }));`,
        `  const communities = [0, 1].map((c) => add(() => new ml.Community("com" + b + "-" + c, { organization: org, zone: "ru-central1-a", description: d() })));`,
        `  const links = communities.map((community, c) => community && acc && add(() => new ml.BillingLink("link" + b + "-" + c, { community, billingAccount: acc })));`,
        `  communities.forEach((community, c) => community && add(() => new ml.CommunityMember("cm" + b + "-" + c, { community, subject: "userAccount:u" + c, role: "developer" })));`,
        `  for (let c = 0; c < 2; c++) for (let p = 0; p < 2; p++) {`,
        `    if (!communities[c] || !links[c]) continue;`,
        `    const project = add(() => new ml.Project("prj" + b + "-" + c + "-" + p, { community: communities[c], description: d(), limits: { maxUnitsPerHour: 10 } }, { dependsOn: [links[c]] }));`,
        `    if (!project) continue;`,
        `    const k = b + "-" + c + "-" + p;`,
        `    add(() => new ml.ProjectMember("pm" + k, { project, subject: "userAccount:v", role: "viewer" }));`,
        `    const ds = add(() => new ml.Dataset("ds" + k, { project, sizeGb: 1, description: d() }));`,
        `    const sec = add(() => new ml.Secret("sec" + k, { project, value: "v-" + k, description: d() }));`,
        `    add(() => new ml.DockerImage("img" + k, { project, image: "cr.example.net/a/b:1", description: d() }));`,
        `    add(() => new ml.S3Connector("s3" + k, { project, bucket: "bucket-1", accessKeyId: "a", secretAccessKey: "s", description: d() }));`,
        `    const model = add(() => new ml.Model("mdl" + k, { project, framework: "onnx", description: d() }));`,
        `    const node = add(() => new ml.Node("node" + k, { project, image: "cr.example.net/a/srv:1", instanceSpec: { cpu: 1, memoryGb: 2 }, description: d() }));`,
        `    if (node) add(() => new ml.Alias("alias" + k, { project, nodes: [{ node, weight: 1 }], description: d() }));`,
        `    add(() => new ml.DataProcTemplate("dpt" + k, { project, cluster: { version: "2.1", masterPreset: "s2.small", computePreset: "s2.small", computeHosts: 1, diskGb: 10 }, description: d() }));`,
        `    add(() => new ml.SparkConnector("spark" + k, { project, cluster: { type: "existing", clusterId: "c1" }, description: d() }));`,
        `    add(() => new ml.Checkpoint("ckpt" + k, { project, sourceUri: "s3://c/" + k, description: d() }));`,
        `    const other = communities[1 - c];`,
        `    if (ds && other) add(() => new ml.Share("shds" + k, { resource: ds, community: other }));`,
        `    if (sec && other) add(() => new ml.Share("shsec" + k, { resource: sec, community: other }));`,
        `  }`,
        `}`,
        `exports.resources = n;`,
    ];
    return lines.join("\n") + "\n";
}

/**
 * The floor any dynamic provider pays through the same engine: N plain `pulumi.dynamic.Resource`s of one property,
 * each tenth the parent of the next nine (so registrations wait on outputs, as in a real stack), with a trivial
 * provider. What the provider's resources cost beyond these figures is the provider's own doing.
 */
export function floorProgramSource(resources: number): string {
    return [
        `"use strict";`,
        `const pulumi = require("@pulumi/pulumi");`,
        `const provider = { async create(inputs) { return { id: "r" + inputs.i, outs: inputs }; } };`,
        `let parent;`,
        `for (let i = 0; i < ${resources}; i++) {`,
        `  const r = new pulumi.dynamic.Resource(provider, "r" + i, i % 10 ? { i, parentId: parent.id } : { i });`,
        `  if (i % 10 === 0) parent = r;`,
        `}`,
    ].join("\n") + "\n";
}

/** The module the latency floor's provider is the exports of, installed in the floor program's node_modules. */
const FLOOR_PROVIDER = "latency-floor-provider";

/** One resource of a stack as the latency floor repeats it: its name, what it waits for, how its steps cost. */
export interface FloorNode {
    readonly name: string;
    /** Names of the resources it depends on (declared before it). */
    readonly dependsOn: readonly string[];
    /** Whether the 10% change (`rev` set) updates it. */
    readonly changes: boolean;
    /** Whether its delete calls the platform (a billing link goes with its community, without a call). */
    readonly callsOnDelete: boolean;
}

/**
 * The floor any dynamic provider pays against a platform with latency, through the same engine and Pulumi runtime:
 * the stack's own dependency graph rebuilt from plain dynamic resources (type `pulumi-nodejs:dynamic:Resource`) whose
 * provider does nothing but wait what the platform would (a create, update or delete: the call and the mutation),
 * with pure check and diff. Each resource takes the ids of what it depends on as inputs, so the SDK registers it only
 * once they exist, as it does the provider's resources. The program gets the savings this package's SDK makes in
 * the Pulumi runtime (sdk/base.ts: no promise traces, no registration debug messages for its type, the provider's
 * text written instead of serialized: a require() of an installed module), so that the provider's own cost is what
 * its stack takes beyond this program, and nothing the runtime would charge any provider without them.
 */
export function latencyFloorSource(nodes: readonly FloorNode[]): string {
    const graph = nodes.map((n) => JSON.stringify([n.name, n.dependsOn, n.changes, n.callsOnDelete]));
    return [
        `"use strict";`,
        `const pulumi = require("@pulumi/pulumi");`,
        `// The savings the package's SDK applies to the runtime it registers through (sdk/promise-traces.ts,`,
        `// sdk/registration-logs.ts), here applied to this program's own @pulumi/pulumi.`,
        `require("pulumi-mlplatform/dist/sdk/promise-traces.js").withoutPromiseTraces(require("@pulumi/pulumi/runtime/debuggable"));`,
        `const TYPE = "pulumi-nodejs:dynamic:Resource";`,
        `require("pulumi-mlplatform/dist/sdk/registration-logs.js").leaveOutRegistrationTraces(require("@pulumi/pulumi/log"), new Set([TYPE]));`,
        `// The text the dynamic-provider host loads the provider from: written, as the package's classes write theirs.`,
        `const PROVIDER_TEXT = ${JSON.stringify(`exports.handler = () => require("${FLOOR_PROVIDER}");
`)};`,
        `const rev = new pulumi.Config().get("rev") || "0";`,
        `// [name, the names it depends on, whether the change updates it, whether its delete waits]`,
        `const graph = [`,
        ...graph.map((g) => `  ${g},`),
        `];`,
        `const made = new Map();`,
        `for (const [name, dependsOn, changes, callsOnDelete] of graph) {`,
        `  const deps = dependsOn.map((d) => made.get(d).id);`,
        `  const props = { name, deps, rev: changes ? rev : "static", callsOnDelete, __provider: PROVIDER_TEXT };`,
        `  made.set(name, new pulumi.CustomResource(TYPE, name, props));`,
        `}`,
    ].join("\n") + "\n";
}

/** The floor's provider: waits `waitMs` in each create, update and delete that calls the platform. */
function latencyFloorProvider(waitMs: number): string {
    return [
        `"use strict";`,
        `const wait = () => new Promise((resolve) => setTimeout(resolve, ${waitMs}));`,
        `exports.diff = async (id, olds, news) => ({ changes: olds.rev !== news.rev });`,
        `exports.create = async (inputs) => { await wait(); return { id: inputs.name, outs: inputs }; };`,
        `exports.update = async (id, olds, news) => { await wait(); return { outs: news }; };`,
        `exports.delete = async (id, props) => { if (props.callsOnDelete) await wait(); };`,
    ].join("\n") + "\n";
}

export function writeLatencyFloorProgram(dir: string, nodes: readonly FloorNode[], waitMs: number): void {
    writeProject(dir, `latencyfloor${nodes.length}`, latencyFloorSource(nodes));
    const module = path.join(dir, "node_modules", FLOOR_PROVIDER);
    fs.mkdirSync(module, { recursive: true });
    fs.writeFileSync(path.join(module, "package.json"), JSON.stringify({ name: FLOOR_PROVIDER, version: "1.0.0", main: "index.js" }) + "\n");
    fs.writeFileSync(path.join(module, "index.js"), latencyFloorProvider(waitMs));
}

/** A fresh Pulumi project in `dir`: Pulumi.yaml, its own package.json (as a user's project has) and index.js. */
function writeProject(dir: string, name: string, source: string): void {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${name}\nruntime: nodejs\nmain: index.js\n`);
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name, private: true }) + "\n");
    fs.writeFileSync(path.join(dir, "index.js"), source);
}

export function writeFloorProgram(dir: string, resources: number): void {
    writeProject(dir, `floor${resources}`, floorProgramSource(resources));
}

export function writeProgram(dir: string, resources: number): void {
    writeProject(dir, `bench${resources}`, programSource(resources));
    installPackage(dir);
}

/** The repository: bench/ when run from the sources (tests), dist/bench/ when built. */
export const ROOT = path.resolve(__dirname, path.basename(path.dirname(__dirname)) === "dist" ? "../.." : "..");

/**
 * Installs the built package into `dir/node_modules` the way npm installs it for a user: a copy, not a link, so that
 * the program and the dynamic-provider host load it from the program's folder, with its own package.json and
 * exports, as they do for users; @pulumi/pulumi still resolves from the repository's node_modules above.
 */
export function installPackage(dir: string): void {
    const target = path.join(dir, "node_modules", "pulumi-mlplatform");
    fs.rmSync(target, { recursive: true, force: true });
    fs.mkdirSync(target, { recursive: true });
    fs.copyFileSync(path.join(ROOT, "package.json"), path.join(target, "package.json"));
    for (const part of ["sdk", "provider"]) fs.cpSync(path.join(ROOT, "dist", part), path.join(target, "dist", part), { recursive: true });
}
