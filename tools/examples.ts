// Runs the examples end to end through the local engine, as CI and `npm start` do:
//   node dist/tools/examples.js [team-setup|cross-zone-share|datasphere|embedded|all]
// (embedded: every example on the embedded control plane, the two team-setup stacks and the cross-zone share)
// Each step's output is shown; a step that does not behave as expected fails the run.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import Database from "better-sqlite3";

const ROOT = path.resolve(__dirname, "../..");
/** Where the run's counts go for the closing summary line of `npm test` (tools/summary.ts). */
export const RESULT_FILE = path.join(ROOT, "dist", "examples-result.json");
let passedSteps = 0;
const CLI = path.join(ROOT, "engine/dist/cli.js");
const dir = (name: string) => path.join(ROOT, "examples", name);

function engine(description: string, args: string[], expect: "succeeds" | "fails", ...patterns: RegExp[]): string {
    console.log(`\n=== ${description}: engine ${args.join(" ")}`);
    const run = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: "utf8", maxBuffer: 64 << 20 });
    const output = `${run.stdout}${run.stderr}`;
    process.stdout.write(output);
    const ok = expect === "succeeds" ? run.status === 0 : run.status !== 0;
    if (!ok) throw new Error(`${description}: expected the engine to ${expect === "succeeds" ? "succeed" : "fail"}, it exited with ${run.status}`);
    for (const pattern of patterns) {
        if (!pattern.test(output)) throw new Error(`${description}: output does not match ${pattern}`);
    }
    passedSteps++;
    return output;
}

function noChanges(output: string, description: string): void {
    if (/to (create|update|replace|delete)/.test(output) || !/\d+ unchanged/.test(output)) {
        throw new Error(`${description}: expected no changes`);
    }
}

function clean(name: string): void {
    for (const scratch of [".pulumi-local", ".mlplatform"]) fs.rmSync(path.join(dir(name), scratch), { recursive: true, force: true });
}

/** Objects left in an embedded control plane (0 when the database was never created). */
function objectsIn(dataDir: string): number {
    const file = path.join(dataDir, "platform.db");
    if (!fs.existsSync(file)) return 0;
    const db = new Database(file, { readonly: true });
    try {
        return (db.prepare("SELECT count(*) AS n FROM objects").get() as { n: number }).n;
    } finally {
        db.close();
    }
}

function stackOutputs(name: string): Record<string, any> {
    const state = JSON.parse(fs.readFileSync(path.join(dir(name), ".pulumi-local/dev.json"), "utf8"));
    return state.resources.find((r: any) => r.type === "pulumi:pulumi:Stack").outputs;
}

function teamSetup(withSecondStack: boolean): void {
    clean("team-setup");
    clean("shared-from-another-stack");
    const ts = dir("team-setup");
    engine("preview a new stack", ["preview", ts], "succeeds", /\+ 23 to create/);
    if (objectsIn(path.join(ts, ".mlplatform")) !== 0) throw new Error("preview created objects");
    engine("up", ["up", ts, "--yes"], "succeeds", /\+ 23 created/);
    noChanges(engine("preview after up", ["preview", ts], "succeeds"), "preview after up");
    const replicas = ["--config", "team-setup:nodeReplicas=2"];
    engine("change one field", ["up", ts, "--yes", ...replicas], "succeeds", /classifier-node\s+updated \[diff: ~replicas\]/, /~ 1 updated/);
    noChanges(engine("preview after the change", ["preview", ts, ...replicas], "succeeds"), "preview after the change");
    // A community's chat channel re-linked is the same community, updated in place.
    const relinked = [...replicas, "--config", "team-setup:researchChat=https://t.me/acme_research"];
    engine("re-link a chat channel", ["up", ts, "--yes", ...relinked], "succeeds", /research\s+updated \[diff: ~chatChannel\]/, /~ 1 updated/);
    noChanges(engine("refresh", ["refresh", ts, "--yes", ...replicas], "succeeds"), "refresh");

    if (withSecondStack) {
        const outputs = stackOutputs("team-setup");
        const other = dir("shared-from-another-stack");
        const config = [
            "--config", `shared-from-another-stack:productionCommunityId=${outputs.productionCommunityId}`,
            "--config", `shared-from-another-stack:trainingProjectId=${outputs.trainingProjectId}`,
        ];
        engine("second stack: preview", ["preview", other, ...config], "succeeds", /production\s+read/, /features-to-production\s+create/);
        engine("second stack: up", ["up", other, "--yes", ...config], "succeeds", /features-to-production\s+created/);
        noChanges(engine("second stack: preview after up", ["preview", other, ...config], "succeeds"), "second stack preview");
        // The platform blocks deletion instead of cascading: the first stack's destroy stops at the project
        // that still holds the second stack's dataset, and completes when re-run after the second stack is gone.
        engine("first stack: destroy is blocked by the second stack's dataset", ["destroy", ts, "--yes", ...replicas], "fails",
            /Project "training-[a-z0-9]+" cannot be deleted while it contains 1 object \(Dataset "features-[a-z0-9]+"\)/);
        engine("second stack: destroy", ["destroy", other, "--yes", ...config], "succeeds");
    }

    engine(withSecondStack ? "first stack: destroy again" : "destroy", ["destroy", ts, "--yes", ...replicas], "succeeds");
    // The repository root's Pulumi.yaml runs the same program (main: examples/team-setup/index.ts). Both engines run
    // it in the folder of main, so its data folder is the example's, not one at the root (README, Configuration).
    const rootData = path.join(ROOT, ".mlplatform");
    const hadRootData = fs.existsSync(rootData);
    engine("preview from the repository root", ["preview", ROOT, ...replicas], "succeeds", /\+ \d+ to create/);
    if (!hadRootData && fs.existsSync(rootData)) throw new Error("the root project's preview opened a data folder at the root, not in examples/team-setup");
    if (!fs.existsSync(path.join(ts, ".mlplatform", "platform.db"))) throw new Error("the root project's preview did not open the example's data folder");
    const left = objectsIn(path.join(ts, ".mlplatform"));
    if (left !== 0) throw new Error(`destroy left ${left} objects in the control plane`);
    console.log("\nteam-setup: the control plane is empty again.");
}

function crossZoneShare(): void {
    clean("cross-zone-share");
    const cz = dir("cross-zone-share");
    const message = /property community value null has a problem: cannot share Dataset "events-[a-z0-9]+" in zone ru-central1-a into community "east-[a-z0-9]+" in zone ru-central1-b/;
    engine("cross-zone share: preview", ["preview", cz], "fails", message);
    engine("cross-zone share: up stops at its preview", ["up", cz, "--yes"], "fails", message);
    const left = objectsIn(path.join(cz, ".mlplatform"));
    if (left !== 0) throw new Error(`the failed cross-zone share created ${left} objects`);
    console.log("\ncross-zone-share: refused in preview, nothing created.");
}

/**
 * examples/datasphere against the DataSphere fake: its own runner (datasphere-example.ts), which serves the fake in
 * its process and so cannot wait on the engine the blocking way the steps above do.
 */
function dataSphere(): void {
    console.log("\n=== datasphere: examples/datasphere against the DataSphere fake");
    const run = spawnSync(process.execPath, [path.join(__dirname, "datasphere-example.js")], { cwd: ROOT, encoding: "utf8", maxBuffer: 64 << 20 });
    process.stdout.write(`${run.stdout}${run.stderr}`);
    passedSteps += Number(/datasphere steps passed: (\d+)/.exec(run.stdout + run.stderr)?.[1] ?? 0);
    if (run.status !== 0) throw new Error(`datasphere: the example's runner exited with ${run.status}`);
}

const which = process.argv[2] ?? "all";
try {
    if (which === "team-setup") teamSetup(false);
    else if (which === "cross-zone-share") crossZoneShare();
    else if (which === "datasphere") dataSphere();
    else if (which === "embedded" || which === "all") {
        teamSetup(true);
        crossZoneShare();
        if (which === "all") dataSphere();
    } else throw new Error(`unknown example set ${which}; use team-setup, cross-zone-share, datasphere, embedded or all`);
    fs.writeFileSync(RESULT_FILE, JSON.stringify({ passed: passedSteps, failed: 0 }));
    console.log(`\nexamples: all ${passedSteps} steps behaved as expected`);
} catch (e) {
    fs.writeFileSync(RESULT_FILE, JSON.stringify({ passed: passedSteps, failed: 1 }));
    console.error(`\nexamples: ${(e as Error).message}`);
    process.exit(1);
}
