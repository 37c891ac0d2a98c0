// A setting changed after the last up (a rotated credential, a moved data folder), with the real package on its
// embedded control plane: `destroy` configures the provider as the last up left it in the state (as the Pulumi engine
// does), so the stack config's new value is not used; MLPLATFORM_PREFER_ENVIRONMENT lets the environment's win.
import * as fs from "fs";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertBuilt } from "./harness";
import { PackageStack } from "./package-stack";

const stack = new PackageStack("mlplatform", "rotate");
const first = path.join(stack.root, "first");
const moved = path.join(stack.root, "moved");

const engine = (command: string, dataDir: string, env: Record<string, string> = {}) => stack.run(command, { dataDir, config: ["phase=1"], env });

const objectsIn = (dataDir: string): number =>
    stack.database((db) => (db.prepare("SELECT count(*) AS n FROM objects WHERE system = 0").get() as { n: number }).n, { dataDir }) ?? 0;

beforeAll(() => assertBuilt());
afterAll(() => stack.cleanup());

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
