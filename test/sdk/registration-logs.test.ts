// The SDK's own debug messages about registering our resources are left out; every other debug message still
// reaches the engine: checked on the messages themselves, and on what the engine receives from a real program.
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { afterEach, describe, expect, it } from "vitest";
import { TYPE_TOKENS } from "../../sdk/base";
import { isOwnRegistrationTrace as isOwnTrace, leaveOutRegistrationTraces } from "../../sdk/registration-logs";
import { CLI, collect } from "../engine/harness";

const ROOT = path.resolve(__dirname, "../..");
const OURS = "pulumi-nodejs:dynamic/mlplatform:Dataset";
const OTHER = "pulumi-nodejs:dynamic:Resource";
const isOwnRegistrationTrace = (message: unknown) => isOwnTrace(message, TYPE_TOKENS);

describe("which messages are left out", () => {
    // The three messages as @pulumi/pulumi/runtime/resource.js words them.
    const registering = (t: string, name: string) => `Registering resource: t=${t}, name=${name}, custom=true, remote=false`;
    const prepared = (t: string, name: string) => `RegisterResource RPC prepared: t=${t}, name=${name}`;
    const finished = (t: string, name: string, err: string | null) => `RegisterResource RPC finished: resource:${name}[${t}]; err: ${err}, resp: [object Object]`;

    it("leaves out the three registration messages about a resource of this package that succeeded", () => {
        for (const name of ["train", "odd [name]; err: x", "multi\nline"]) {
            expect(isOwnRegistrationTrace(registering(OURS, name))).toBe(true);
            expect(isOwnRegistrationTrace(prepared(OURS, name))).toBe(true);
            expect(isOwnRegistrationTrace(finished(OURS, name, null))).toBe(true);
        }
    });

    it("keeps a failure, other resources' messages, the program's own and anything not a string", () => {
        expect(isOwnRegistrationTrace(finished(OURS, "train", "Error: 14 UNAVAILABLE: no connection"))).toBe(false);
        expect(isOwnRegistrationTrace(`RegisterResource RPC failed: t=${OURS}, name=train, err=boom`)).toBe(false);
        for (const make of [registering, prepared]) expect(isOwnRegistrationTrace(make(OTHER, "x"))).toBe(false);
        expect(isOwnRegistrationTrace(finished(OTHER, "x", null))).toBe(false);
        // Another type whose resource is named like ours.
        expect(isOwnRegistrationTrace(registering("aws:s3/bucket:Bucket", `t=${OURS}`))).toBe(false);
        // A program's own dynamic resource in a module of the same name, and a longer module name: not our kinds.
        for (const t of ["pulumi-nodejs:dynamic/mlplatform:MyThing", "pulumi-nodejs:dynamic/mlplatformx:Dataset"]) {
            expect(isOwnRegistrationTrace(registering(t, "x"))).toBe(false);
            expect(isOwnRegistrationTrace(prepared(t, "x"))).toBe(false);
            expect(isOwnRegistrationTrace(finished(t, "x", null))).toBe(false);
        }
        expect(isOwnRegistrationTrace(`my program registered ${OURS}`)).toBe(false);
        expect(isOwnRegistrationTrace(undefined)).toBe(false);
    });

    it("wraps a log module once, passes everything else to the original, and can be switched off", async () => {
        const sent: unknown[][] = [];
        const module = { debug: async (...args: unknown[]) => void sent.push(args) };
        leaveOutRegistrationTraces(module, TYPE_TOKENS, {});
        const once = module.debug;
        leaveOutRegistrationTraces(module, TYPE_TOKENS, {});
        expect(module.debug).toBe(once);
        await module.debug(prepared(OURS, "train"));
        await module.debug("from the program", "resource", 7, true);
        expect(sent).toEqual([["from the program", "resource", 7, true]]);

        const kept = { debug: async (..._args: unknown[]) => undefined };
        const original = kept.debug;
        leaveOutRegistrationTraces(kept, TYPE_TOKENS, { PULUMI_MLPLATFORM_SDK_DEBUG_LOGS: "1" });
        expect(kept.debug).toBe(original);
    });
});

describe("what the engine receives from a program", () => {
    let dir: string | undefined;
    afterEach(() => {
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    const PROGRAM = `"use strict";
const pulumi = require("@pulumi/pulumi");
const ml = require("pulumi-mlplatform");
new ml.Organization("acme", { displayName: "Acme", defaultZone: "ru-central1-a" });
new pulumi.dynamic.Resource({ async create() { return { id: "x", outs: {} }; } }, "plain", {});
pulumi.log.debug("a debug message of the program's own");
`;

    async function preview(env: NodeJS.ProcessEnv) {
        dir = fs.mkdtempSync(path.join(ROOT, "test", ".installed-"));
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: logs\nruntime: nodejs\nmain: index.js\n");
        fs.writeFileSync(path.join(dir, "index.js"), PROGRAM);
        const r = await collect(spawn(process.execPath, [CLI, "preview", dir, "--verbose"], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } }));
        expect(r.code, r.stdout + r.stderr).toBe(0);
        return r.stdout + r.stderr;
    }

    it("gets no registration messages about our resources, and all the others", async () => {
        const output = await preview({ PULUMI_MLPLATFORM_SDK_DEBUG_LOGS: "" });
        expect(output).toContain("a debug message of the program's own");
        expect(output).toContain("Registering resource: t=pulumi-nodejs:dynamic:Resource, name=plain");
        expect(output).toContain("RegisterResource RPC finished: resource:plain[pulumi-nodejs:dynamic:Resource]; err: null");
        expect(output).not.toContain("t=pulumi-nodejs:dynamic/mlplatform:");
        expect(output).not.toContain("[pulumi-nodejs:dynamic/mlplatform:Organization]");
    });

    it("gets them all with PULUMI_MLPLATFORM_SDK_DEBUG_LOGS=1", async () => {
        const output = await preview({ PULUMI_MLPLATFORM_SDK_DEBUG_LOGS: "1" });
        expect(output).toContain("Registering resource: t=pulumi-nodejs:dynamic/mlplatform:Organization, name=acme");
        expect(output).toContain("RegisterResource RPC finished: resource:acme[pulumi-nodejs:dynamic/mlplatform:Organization]; err: null");
        expect(output).toContain("a debug message of the program's own");
    });
});
