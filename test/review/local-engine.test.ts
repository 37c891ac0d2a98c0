// The local engine's `preview --json` read by `mlplatform review`, as a CI job pipes it: the team-setup example on a
// new stack, and the change the saved CLI-shaped fixture describes (fixtures/team-change: sandbox replaced with
// what it holds, nested settings and limits, roles granted, changed and revoked, a share added and one removed, a
// rotated secret) run for real: `up` of the program before, `preview --json --show-sames` and `preview --diff` of it
// after. The engine's report is the fixture's, ids and generated names aside; secrets planted in the environment
// appear in none of the outputs.
import { spawnSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Readable } from "stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Io, main } from "../../provider/cli";
import { reviewPreview } from "../../provider/review/review";
import { StateStore } from "../../engine/state";
import { assertBuilt, CLI } from "../engine/harness";
import { FIXTURES, leaked } from "./support";

const ROOT = path.resolve(__dirname, "../..");
const TEAM_SETUP = path.join(ROOT, "examples/team-setup");
const TEAM_CHANGE = path.join(FIXTURES, "team-change");
const stack = `review-${crypto.randomBytes(4).toString("hex")}`;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "mlp-review-"));

/** The secret values of the change, given to the program through its environment only. */
const PLANTED = {
    TEAM_CHANGE_TOKEN_BEFORE: "planted-token-before-5b1f",
    TEAM_CHANGE_TOKEN_AFTER: "planted-token-after-c93a",
    TEAM_CHANGE_REGISTRY_USER: "planted-registry-user-08d2",
    TEAM_CHANGE_REGISTRY_PASSWORD: "planted-registry-password-e47b",
    TEAM_CHANGE_S3_KEY_ID: "planted-s3-key-id-2f60",
    TEAM_CHANGE_S3_SECRET: "planted-s3-secret-aa19",
};
const SECRETS = Object.values(PLANTED);

function engine(program: string, args: string[]): { code: number | null; stdout: string; stderr: string } {
    const run = spawnSync(process.execPath, [CLI, ...args.slice(0, 1), program, "--stack", stack, "--config", `mlplatform:dataDir=${dataDir}`, ...args.slice(1)], {
        encoding: "utf8",
        maxBuffer: 64 << 20,
        // Type-checking the example is not what is tested here.
        env: { ...process.env, ...PLANTED, PULUMI_NODEJS_TRANSPILE_ONLY: "true" },
    });
    return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** `mlplatform review -` with the text on stdin, as `... | npx mlplatform review` runs it. */
async function review(text: string): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = "";
    let stderr = "";
    const io: Io = { stdin: Object.assign(Readable.from([Buffer.from(text)]), { isTTY: false }), stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) };
    const code = await main(["review", "-"], io);
    return { code, stdout, stderr };
}

/**
 * A report with what differs between two runs of the same change taken out: ids the platform hands out, the random
 * suffix of generated names, and the rows of the `name` property, whose generated value the provider of the fixture's
 * day left unknown for a replacement's dependents and today's provider keeps.
 */
function comparable(markdown: string): string {
    return markdown
        .split("\n")
        .filter((line) => !line.includes("| <code>name</code> |"))
        .join("\n")
        .replace(/\b(org|bla|bll|com|cmm|prj|pjm|dts|sec|dki|s3c|mdl|nod|als|shr)[a-z0-9]{17}\b/g, "$1<id>")
        .replace(/-[a-z0-9]{7}\b/g, "-<suffix>");
}

beforeAll(() => assertBuilt());
afterAll(() => {
    for (const program of [TEAM_SETUP, TEAM_CHANGE]) {
        for (const ext of [".json", ".key", ".lock", ".journal"]) fs.rmSync(path.join(program, ".pulumi-local", `${stack}${ext}`), { force: true });
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("the local engine's preview --json, reviewed", () => {
    it("of the team-setup example on a new stack: everything to create, the organization drawn", async () => {
        const preview = engine(TEAM_SETUP, ["preview", "--json"]);
        expect(preview.code).toBe(0);
        const plan = JSON.parse(preview.stdout);
        // Every resource of the example and the stack, each a create step.
        const creates = plan.steps.filter((s: { op: string }) => s.op === "create").length;
        expect(creates).toBeGreaterThan(20);
        expect(plan.steps).toHaveLength(creates);
        expect(plan.changeSummary).toEqual({ create: creates });
        const result = await review(preview.stdout);
        expect(result.code).toBe(0);
        expect(result.stderr).toBe("");
        expect(result.stdout).toContain(`**Plan:** ${creates} to create, 0 unchanged.`);
        expect(result.stdout).toContain("```mermaid");
        expect(result.stdout).toMatch(/\| \+ \| Secret api-token \| <code>value<\/code> \|\s+\| <code>\[secret\]<\/code> \|/);
        // The example's default token is in its source, not a planted secret: the report shows it masked.
        expect(result.stdout).not.toContain("example-token-change-me");
        expect(preview.stdout).not.toContain("example-token-change-me");
    }, 180_000);

    describe("of the fixture's change", () => {
        let json = "";
        let diff = "";
        let report = "";

        beforeAll(async () => {
            const up = engine(TEAM_CHANGE, ["up", "--skip-preview", "--config", "phase=before"]);
            expect(up.code, up.stderr).toBe(0);
            const preview = engine(TEAM_CHANGE, ["preview", "--json", "--show-sames", "--config", "phase=after"]);
            expect(preview.code, preview.stderr).toBe(0);
            json = preview.stdout + preview.stderr;
            const shown = engine(TEAM_CHANGE, ["preview", "--diff", "--config", "phase=after"]);
            expect(shown.code, shown.stderr).toBe(0);
            diff = shown.stdout + shown.stderr;
            const reviewed = await review(preview.stdout);
            expect(reviewed.code, reviewed.stderr).toBe(0);
            report = reviewed.stdout;
        }, 240_000);

        it("gives the report of the saved CLI-shaped fixture, ids and generated names aside", () => {
            const fixture = reviewPreview(fs.readFileSync(path.join(FIXTURES, "pulumi-preview.json"), "utf8"), "plan.json").markdown;
            expect(report).toContain("**Plan:** 3 to create, 5 to update, 6 to replace, 2 to delete, 15 unchanged.");
            expect(comparable(report)).toBe(comparable(fixture));
            // What the comparison leaves out is there too: the replaced community gets a new name.
            expect(report).toMatch(/\| \+- \| Community sandbox \| <code>name<\/code> \| <code>"sandbox-[a-z0-9]{7}"<\/code> \| <code>"sandbox-[a-z0-9]{7}"<\/code> \|/);
        });

        it("--diff shows the nested values, the role changes, the replacement and the shares added and removed", () => {
            for (const expected of [
                /~ pulumi-nodejs:dynamic\/mlplatform:Project: \(update\)\n(?: {6}.*\n)*? {6}~ limits {16}: \{\n {12}maxUnitsPerExecution: 100\n {10}~ maxUnitsPerHour {5}: 500 => 800\n {8}\}\n/,
                / {6}~ settings {14}: \{\n {12}ide {17}: "JUPYTER_LAB"\n {10}\+ securityGroupIds {4}: \[\n {10}\+ {5}\[0\]: "sg-training-1"\n {10}\+ {5}\[1\]: "sg-training-2"\n {12}\]\n {10}~ staleExecTimeoutMode: "THREE_HOURS" => "ONE_HOUR"\n {8}\}\n/,
                / {6}~ role {8}: "editor" => "admin"\n/,
                /\+ pulumi-nodejs:dynamic\/mlplatform:CommunityMember: \(create\)\n(?: {6}.*\n)*? {8}subject {7}: "userAccount:carol"\n/,
                /- pulumi-nodejs:dynamic\/mlplatform:ProjectMember: \(delete\)\n(?: {6}.*\n)*? {8}subject {7}: "userAccount:bob"\n/,
                / {6}~ admins {5}: \[\n {12}\[0\]: "userAccount:platform-lead"\n {10}\+ \[1\]: "userAccount:alice"\n {8}\]\n/,
                /\+-pulumi-nodejs:dynamic\/mlplatform:Community: \(replace\)\n(?: {6}.*\n)*? {6}~ zone {10}: "ru-central1-a" => "ru-central1-b"\n/,
                / {6}~ projectId {3}: "prj[a-z0-9]{17}" => \[unknown\]\n/,
                /\+ pulumi-nodejs:dynamic\/mlplatform:Share: \(create\)\n(?: {6}.*\n)*? {8}resourceKind {9}: "S3Connector"\n/,
                /- pulumi-nodejs:dynamic\/mlplatform:Share: \(delete\)\n(?: {6}.*\n)*? {8}resourceKind {9}: "DockerImage"\n/,
                / {6}~ value {7}: \[secret\] => \[secret\]\n/,
                / {6}~ replicas {4}: 1 => 2\n/,
            ]) {
                expect(diff).toMatch(expected);
            }
        });

        it("puts no secret in the JSON, the --diff output or the report", () => {
            expect(leaked(json, SECRETS)).toEqual([]);
            expect(leaked(diff, SECRETS)).toEqual([]);
            expect(leaked(report, SECRETS)).toEqual([]);
            // They were there to leak: the state holds the values of the up, encrypted on disk.
            const state = JSON.stringify(StateStore.open(TEAM_CHANGE, "team-setup", stack).snapshot);
            for (const name of ["TEAM_CHANGE_TOKEN_BEFORE", "TEAM_CHANGE_REGISTRY_USER", "TEAM_CHANGE_REGISTRY_PASSWORD"] as const) {
                expect(state).toContain(PLANTED[name]);
            }
            expect(leaked(fs.readFileSync(path.join(TEAM_CHANGE, ".pulumi-local", `${stack}.json`), "utf8"), SECRETS)).toEqual([]);
        });
    });
});
