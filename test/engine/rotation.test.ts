// A setting changed after the last up (a rotated credential, a moved data folder), with the real package on its
// embedded control plane: `destroy` configures the provider as the last up left it in the state (as the Pulumi engine
// does), so the stack config's new value is not used; MLPLATFORM_PREFER_ENVIRONMENT lets the environment's win.
import Database from "better-sqlite3";
import { spawnSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertBuilt, CLI } from "./harness";

const PROGRAM = path.resolve(__dirname, "fixtures/mlplatform");
const stack = `rotate-${crypto.randomBytes(4).toString("hex")}`;
const root = fs.mkdtempSync(path.join(os.tmpdir(), "mlp-rotate-"));
const first = path.join(root, "first");
const moved = path.join(root, "moved");

function engine(command: string, dataDir: string, env: NodeJS.ProcessEnv = {}) {
    const run = spawnSync(process.execPath, [CLI, command, PROGRAM, "--stack", stack, "--yes", "--config", `mlplatform:dataDir=${dataDir}`, "--config", "phase=1"], {
        encoding: "utf8",
        env: { ...process.env, ...env },
    });
    return { status: run.status, out: `${run.stdout}\n${run.stderr}` };
}

function objectsIn(dataDir: string): number {
    const db = new Database(path.join(dataDir, "platform.db"), { readonly: true });
    try {
        return (db.prepare("SELECT count(*) AS n FROM objects WHERE system = 0").get() as { n: number }).n;
    } finally {
        db.close();
    }
}

beforeAll(() => assertBuilt());
afterAll(() => {
    for (const f of [".json", ".key", ".lock", ".journal"]) fs.rmSync(path.join(PROGRAM, ".pulumi-local", `${stack}${f}`), { force: true });
    fs.rmSync(root, { recursive: true, force: true });
});

describe("a setting changed after the last up", () => {
    it("is not used by destroy from stack config, and is with MLPLATFORM_PREFER_ENVIRONMENT", { timeout: 180_000 }, () => {
        fs.mkdirSync(first);
        const up = engine("up", first);
        expect(up.status, up.out).toBe(0);
        expect(objectsIn(first)).toBeGreaterThan(0);
        fs.renameSync(first, moved);

        // The state's configuration names the old folder: the provider finds another control plane there and refuses.
        const kept = engine("destroy", moved);
        expect(kept.status, kept.out).toBe(1);
        expect(kept.out).toMatch(/lives on control plane [0-9a-f]{32} \(the embedded database .*first.*\), but the provider now reaches control plane/);
        expect(objectsIn(moved)).toBeGreaterThan(0);

        const preferred = engine("destroy", moved, { MLPLATFORM_PREFER_ENVIRONMENT: "true", MLPLATFORM_DATA_DIR: moved });
        expect(preferred.status, preferred.out).toBe(0);
        expect(objectsIn(moved)).toBe(0);
    });
});
