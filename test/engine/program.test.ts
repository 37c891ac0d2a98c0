// The program's node process gets Pulumi.yaml's runtime.options.nodeargs, as the nodejs language host passes them,
// and runs, with the dynamic provider host, in the folder of `main`, as the Pulumi CLI runs them.
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { afterEach, describe, expect, it } from "vitest";
import { CLI, collect } from "./harness";

const ROOT = path.resolve(__dirname, "../..");
let dir: string | undefined;
afterEach(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe("the program's node process", () => {
    it("runs with the project's nodeargs", async () => {
        // Inside the repository, so that @pulumi/pulumi resolves from its node_modules as a program's own would.
        dir = fs.mkdtempSync(path.join(ROOT, "test", ".installed-nodeargs-"));
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), 'name: nodeargs\nruntime:\n  name: nodejs\n  options:\n    nodeargs: "--max-old-space-size=300 --stack-trace-limit=7"\nmain: index.js\n');
        fs.writeFileSync(path.join(dir, "index.js"), 'exports.execArgv = process.execArgv;\nexports.heapLimitMb = Math.round(require("v8").getHeapStatistics().heap_size_limit / 1048576);\nexports.stackTraceLimit = Error.stackTraceLimit;\n');
        const up = await collect(spawn(process.execPath, [CLI, "up", dir, "--yes", "--skip-preview"], { stdio: ["ignore", "pipe", "pipe"] }));
        expect(up.code, up.stdout + up.stderr).toBe(0);
        const state = JSON.parse(fs.readFileSync(path.join(dir, ".pulumi-local", "dev.json"), "utf8"));
        const stack = state.resources.find((r: { type: string }) => r.type === "pulumi:pulumi:Stack");
        expect(stack.outputs.execArgv).toEqual(["--max-old-space-size=300", "--stack-trace-limit=7"]);
        // The old space is what the option sets; the heap limit adds the young generation to it.
        expect(stack.outputs.heapLimitMb).toBeGreaterThanOrEqual(300);
        expect(stack.outputs.heapLimitMb).toBeLessThan(400);
        expect(stack.outputs.stackTraceLimit).toBe(7);
    });

    it("runs the program and the provider host in the folder of main, where relative paths land", async () => {
        // pkg/engine/project.go getPwdMain: `main: app/index.js` makes app/ the working directory of the program
        // (cmd/run's --pwd) and of every plugin the engine starts (plugin.go ExecPlugin's cmd.Dir = ctx.Pwd).
        dir = fs.mkdtempSync(path.join(ROOT, "test", ".installed-main-folder-"));
        fs.mkdirSync(path.join(dir, "app"));
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: mainfolder\nruntime: nodejs\nmain: app/index.js\n");
        fs.writeFileSync(
            path.join(dir, "app", "index.js"),
            [
                'const pulumi = require("@pulumi/pulumi");',
                'const fs = require("fs");',
                "const provider = {",
                "    async create() {",
                '        fs.writeFileSync("written-by-provider", "x");',
                '        return { id: "one", outs: { providerCwd: process.cwd() } };',
                "    },",
                "};",
                'const r = new pulumi.dynamic.Resource(provider, "r", { providerCwd: undefined });',
                'fs.writeFileSync("written-by-program", "x");',
                "exports.programCwd = process.cwd();",
                "exports.providerCwd = r.providerCwd;",
            ].join("\n"),
        );
        const up = await collect(spawn(process.execPath, [CLI, "up", dir, "--yes", "--skip-preview"], { stdio: ["ignore", "pipe", "pipe"] }));
        expect(up.code, up.stdout + up.stderr).toBe(0);
        const state = JSON.parse(fs.readFileSync(path.join(dir, ".pulumi-local", "dev.json"), "utf8"));
        const stack = state.resources.find((r: { type: string }) => r.type === "pulumi:pulumi:Stack");
        const app = fs.realpathSync(path.join(dir, "app"));
        expect(stack.outputs).toMatchObject({ programCwd: app, providerCwd: app });
        expect(fs.readdirSync(app).sort()).toEqual(["index.js", "written-by-program", "written-by-provider"]);
        // The state stays with Pulumi.yaml.
        expect(fs.readdirSync(dir).sort()).toEqual([".pulumi-local", "Pulumi.yaml", "app"]);
    });

    it("gives the provider process only the pulumi-nodejs: keys in its environment, and Configure the whole config", async () => {
        // pkg/host/host.go defaultHost.Provider: PULUMI_CONFIG holds the keys of the plugin's package (pulumi-nodejs),
        // without the prefix; provider_plugin.go NewProvider adds PULUMI_RUNTIME_<OPTION> and the project, no stack.
        // Configure's args are the default provider's inputs: every key, namespaced (target.go GetPackageConfig).
        dir = fs.mkdtempSync(path.join(ROOT, "test", ".installed-provider-env-"));
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: providerenv\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: index.js\n");
        fs.writeFileSync(
            path.join(dir, "index.js"),
            [
                'const pulumi = require("@pulumi/pulumi");',
                "const provider = {",
                "    async configure(req) { this.configured = req.config.rawConfig; },",
                "    async create() {",
                "        const env = {};",
                '        for (const k of ["PULUMI_CONFIG", "PULUMI_RUNTIME_TYPESCRIPT", "PULUMI_NODEJS_PROJECT", "PULUMI_NODEJS_STACK", "PULUMI_STACK"]) env[k] = process.env[k] ?? null;',
                '        return { id: "one", outs: { env, configured: this.configured } };',
                "    },",
                "};",
                'const r = new pulumi.dynamic.Resource(provider, "r", { env: undefined, configured: undefined });',
                "exports.env = r.env;",
                "exports.configured = r.configured;",
            ].join("\n"),
        );
        const config = ["pulumi-nodejs:mode=fast", "pulumi-nodejs:config:legacy=old-form", "mlplatform:principal=userAccount:alice", "answer=42"];
        const up = await collect(spawn(process.execPath, [CLI, "up", dir, "--yes", "--skip-preview", ...config.flatMap((c) => ["--config", c])], { stdio: ["ignore", "pipe", "pipe"] }));
        expect(up.code, up.stdout + up.stderr).toBe(0);
        const state = JSON.parse(fs.readFileSync(path.join(dir, ".pulumi-local", "dev.json"), "utf8"));
        const outputs = state.resources.find((r: { type: string }) => r.type === "pulumi:pulumi:Stack").outputs;
        expect(JSON.parse(outputs.env.PULUMI_CONFIG)).toEqual({ mode: "fast", legacy: "old-form" });
        expect(outputs.env).toMatchObject({ PULUMI_RUNTIME_TYPESCRIPT: "false", PULUMI_NODEJS_PROJECT: "providerenv", PULUMI_NODEJS_STACK: null, PULUMI_STACK: null });
        // The older <ns>:config:<name> form is read as <ns>:<name> (config.ParseKey), and a key is always sent as
        // Key.String(), <namespace>:<name>.
        expect(outputs.configured).toEqual({
            "pulumi-nodejs:mode": "fast",
            "pulumi-nodejs:legacy": "old-form",
            "mlplatform:principal": "userAccount:alice",
            "providerenv:answer": "42",
        });
    });
});
