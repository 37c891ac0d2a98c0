// A stack pointed at another control plane than its objects live on (another data folder, a forgotten endpoint)
// stops in preview, through the real engine path: nothing new is created on the wrong one, nothing is dropped.
import { spawnSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertBuilt, CLI } from "./harness";

const PROGRAM = path.resolve(__dirname, "fixtures/mlplatform");
const stack = `home-${crypto.randomBytes(4).toString("hex")}`;
const home = fs.mkdtempSync(path.join(os.tmpdir(), "mlp-home-"));
const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), "mlp-elsewhere-"));

function engine(command: string, dataDir: string, phase: number) {
    const run = spawnSync(process.execPath, [CLI, command, PROGRAM, "--stack", stack, "--yes", "--config", `mlplatform:dataDir=${dataDir}`, "--config", `phase=${phase}`], { encoding: "utf8" });
    return { status: run.status, out: `${run.stdout}\n${run.stderr}` };
}

beforeAll(() => assertBuilt());
afterAll(() => {
    for (const f of [".json", ".key", ".lock", ".journal"]) fs.rmSync(path.join(PROGRAM, ".pulumi-local", `${stack}${f}`), { force: true });
    fs.rmSync(home, { recursive: true, force: true });
    fs.rmSync(elsewhere, { recursive: true, force: true });
});

describe("a stack run against another control plane", () => {
    it("fails its preview naming both control planes, and creates nothing there", () => {
        expect(engine("up", home, 1).status).toBe(0);
        // The second version adds resources: without the check they would be created on the other control plane.
        const up = engine("up", elsewhere, 2);
        expect(up.status).toBe(1);
        expect(up.out).toMatch(/lives on control plane [0-9a-f]{32} \(the embedded database .*mlp-home-.*\), but the provider now reaches control plane [0-9a-f]{32} \(the embedded database .*mlp-elsewhere-/);
        expect(up.out).not.toMatch(/^\s*\+ .* created$/m);
        const db = path.join(elsewhere, "platform.db");
        const objects = fs.existsSync(db)
            ? Number(spawnSync(process.execPath, ["-e", `const D=require("better-sqlite3");console.log(new D(${JSON.stringify(db)}).prepare("SELECT count(*) n FROM objects").get().n)`], { encoding: "utf8", cwd: path.resolve(__dirname, "../..") }).stdout.trim())
            : 0;
        expect(objects).toBe(0);
        // Back home, the stack is whole.
        const back = engine("preview", home, 1);
        expect(back.status).toBe(0);
        expect(back.out).toMatch(/unchanged/);
        expect(engine("destroy", home, 1).status).toBe(0);
    }, 180_000);
});
