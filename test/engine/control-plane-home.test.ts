// A stack pointed at another control plane than its objects live on (another data folder, a forgotten endpoint)
// stops in preview, through the real engine path: nothing new is created on the wrong one, nothing is dropped.
import * as fs from "fs";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertBuilt } from "./harness";
import { PackageStack } from "./package-stack";

const stack = new PackageStack("mlplatform", "home");
const home = path.join(stack.root, "home");
const elsewhere = path.join(stack.root, "elsewhere");
fs.mkdirSync(home);
fs.mkdirSync(elsewhere);

const engine = (command: string, dataDir: string, phase: number) => stack.run(command, { dataDir, config: [`phase=${phase}`] });

beforeAll(() => assertBuilt());
afterAll(() => stack.cleanup());

describe("a stack run against another control plane", () => {
    it("fails its preview naming both control planes, and creates nothing there", () => {
        expect(engine("up", home, 1).status).toBe(0);
        // The second version adds resources: without the check they would be created on the other control plane.
        const up = engine("up", elsewhere, 2);
        expect(up.status).toBe(1);
        expect(up.out).toMatch(/lives on control plane [0-9a-f]{32} \(the embedded database .*mlp-home-[^/]*\/home.*\), but the provider now reaches control plane [0-9a-f]{32} \(the embedded database .*mlp-home-[^/]*\/elsewhere/);
        expect(up.out).not.toMatch(/^\s*\+ .* created$/m);
        const objects = stack.database((db) => (db.prepare("SELECT count(*) AS n FROM objects").get() as { n: number }).n, { dataDir: elsewhere }) ?? 0;
        expect(objects).toBe(0);
        // Back home, the stack is whole.
        const back = engine("preview", home, 1);
        expect(back.status).toBe(0);
        expect(back.out).toMatch(/unchanged/);
        expect(engine("destroy", home, 1).status).toBe(0);
    }, 180_000);
});
