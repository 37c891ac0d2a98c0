// A preview asks the platform nothing it already knows: check and diff are pure. Through the local engine, the real
// Pulumi runtime and the real dynamic-provider host, a stack of every kind (bench/program.ts, the package installed
// as npm installs it) against a served control plane that counts the requests it answers.
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeProgram } from "../../bench/program";
import { Served, serveControlPlane } from "../support/served";
import { assertBuilt, CLI } from "./harness";

const ROOT = path.resolve(__dirname, "../..");
let served: Served;
let dir: string;

/** The engine in a child, awaited: the control plane answers from this process meanwhile. */
function engine(...args: string[]): Promise<{ code: number | null; output: string }> {
    return new Promise((resolve) => {
        const child = spawn(process.execPath, [CLI, ...args, "--config", `mlplatform:endpoint=${served.endpoint}`], {
            cwd: ROOT, env: { ...process.env, MLPLATFORM_TOKEN: "bench-token" }, stdio: ["ignore", "pipe", "pipe"],
        });
        let output = "";
        child.stdout.on("data", (d) => (output += d));
        child.stderr.on("data", (d) => (output += d));
        child.on("close", (code) => resolve({ code, output }));
    });
}

beforeAll(async () => {
    assertBuilt();
    served = await serveControlPlane("bench-token=userAccount:owner");
    dir = fs.mkdtempSync(path.join(ROOT, "test", ".installed-calls-"));
    // One block of the benchmark's program: 64 resources, every kind the served control plane has.
    writeProgram(dir, 64);
}, 60_000);
afterAll(async () => {
    await served?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe("calls to the platform", () => {
    it("makes none in a preview of a stack already up, with or without changes; up makes them", async () => {
        const up = await engine("up", dir, "--yes", "--skip-preview");
        expect(up.code, up.output).toBe(0);
        expect(up.output).toMatch(/\+ 65 created/);
        expect(served.stats().byOperation.create).toBe(64);

        served.reset();
        const same = await engine("preview", dir);
        expect(same.code, same.output).toBe(0);
        expect(same.output).toMatch(/65 unchanged/);
        expect(served.stats()).toEqual({ byOperation: {}, total: 0, maxInFlight: 0, callSpanSeconds: 0 });

        // A change of about 10% of the resources is planned from the state alone too.
        const changed = await engine("preview", dir, "--config", "rev=1");
        expect(changed.code, changed.output).toBe(0);
        expect(changed.output).toMatch(/~ \d+ to update/);
        expect(served.stats().total).toBe(0);

        const applied = await engine("up", dir, "--yes", "--skip-preview", "--config", "rev=1");
        expect(applied.code, applied.output).toBe(0);
        expect(served.stats().byOperation.update).toBeGreaterThan(0);
        expect(served.stats().byOperation.create ?? 0).toBe(0);

        const destroyed = await engine("destroy", dir, "--yes", "--skip-preview", "--config", "rev=1");
        expect(destroyed.code, destroyed.output).toBe(0);
        // The two billing links go with their communities: the platform has no call that removes one.
        expect(served.stats().byOperation.delete).toBe(62);
    }, 240_000);
});
