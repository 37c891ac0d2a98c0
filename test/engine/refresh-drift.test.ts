// Refresh of the real package through the local engine, on its embedded control plane: the provider's diff decides
// (step.go RefreshStep: Diff with what was read as olds and the program's last inputs as news). Without drift every
// kind the program declares refreshes as unchanged; a change made on the platform behind Pulumi's back is an
// update of the kind it touched, an object removed there a delete, an object whose outputs moved without a change
// the program would undo is unchanged; the next up puts things back as the program says.
import type Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertBuilt, pass, planLines, summary } from "./harness";
import { PackageStack } from "./package-stack";

const stack = new PackageStack("mlplatform", "drift");
const TYPE = "pulumi-nodejs:dynamic/mlplatform";

const engine = (command: string) => stack.run(command, { config: ["phase=1"] });

/** Changes the platform's database as someone working outside Pulumi would (the console, another tool). */
function onThePlatform(change: (db: Database.Database) => void): void {
    stack.database(change, { writable: true });
}

beforeAll(() => assertBuilt());
afterAll(() => stack.cleanup());

describe("refresh of the real package", () => {
    it("is unchanged on every kind without drift, and finds each change and removal made on the platform", { timeout: 240_000 }, async () => {
        const up = engine("up");
        expect(up.status, up.out).toBe(0);

        // Organization, BillingAccount, Community, BillingLink, Project, Dataset, Secret, DockerImage, and the
        // community read back: the provider's diff of each refreshed object against its inputs finds nothing.
        const quiet = engine("refresh");
        expect(quiet.status, quiet.out).toBe(0);
        expect(planLines(pass(quiet.stdout, "Refreshing")).filter((l) => !/  (read|refresh)$/.test(l)), quiet.out).toEqual([]);
        expect(summary(pass(quiet.stdout, "Refreshing"))).toEqual(["10 unchanged"]);

        onThePlatform((db) => {
            const set = db.prepare("UPDATE objects SET spec = json_set(spec, ?, json(?)), version = version + 1 WHERE kind = ? AND system = 0");
            set.run("$.description", JSON.stringify("described in the console"), "Organization");
            set.run("$.status", JSON.stringify("suspended"), "BillingAccount");
            set.run("$.limits.maxUnitsPerHour", "750", "Project");
            set.run("$.description", JSON.stringify("noted in the console"), "Dataset");
            db.prepare("DELETE FROM objects WHERE kind = 'DockerImage'").run();
            // Touched without a change to anything the program declares: its outputs move (the version), but the
            // provider's diff finds nothing to put back, so it is not drift.
            db.prepare("UPDATE objects SET version = version + 1 WHERE kind = 'Community' AND system = 0").run();
        });
        const drifted = engine("refresh");
        expect(drifted.status, drifted.out).toBe(0);
        const refreshing = pass(drifted.stdout, "Refreshing");
        // The line shows the outputs that changed: the field, and `platform`, where the object's version moved.
        expect(planLines(refreshing).filter((l) => l.includes("refreshed")).sort(), drifted.out).toEqual([
            `~ ${TYPE}:BillingAccount  main  refreshed [diff: ~platform,status]`,
            // The community the program only reads (Community.get) compares its outputs (step.go RefreshStep.ResultOp).
            `~ ${TYPE}:Community  research-read  refreshed [diff: ~platform]`,
            `~ ${TYPE}:Dataset  images  refreshed [diff: +description~platform]`,
            `~ ${TYPE}:Organization  acme  refreshed [diff: +description~platform]`,
            `~ ${TYPE}:Project  training  refreshed [diff: ~limits,platform]`,
        ]);
        expect(summary(refreshing), drifted.out).toEqual(["~ 5 updated", "- 1 deleted", "6 changes. 4 unchanged"]);

        // The program did not change: up puts the platform back as it says.
        const back = engine("up");
        expect(back.status, back.out).toBe(0);
        expect(summary(pass(back.stdout, "Updating")), back.out).toEqual(["+ 1 created", "~ 4 updated", "5 changes. 4 unchanged"]);
        const settled = engine("refresh");
        expect(summary(pass(settled.stdout, "Refreshing")), settled.out).toEqual(["10 unchanged"]);
    });
});
