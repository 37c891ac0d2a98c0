// better-sqlite3 is loaded only by the embedded backend, and when it cannot load the provider says why in one line:
// not installed (it is an optional dependency), built for another Node.js, or never built (npm 12 runs its install
// script only when the project's package.json allows it in allowScripts: each fix says so). The same for the Yandex
// Cloud SDK, an optional peer dependency that only the datasphere backend loads. Each case runs in a fresh process,
// the module system hooked before the provider loads, as a user's install would fail.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, describe, expect, it } from "vitest";
import { nativeModuleProblem } from "../../provider/controlplane/store";

const REPO = path.resolve(__dirname, "../..");
const MANIFEST = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8"));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "embedded-loading-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** What Node.js itself says when a native module was built for another version (Node 20's module, run by Node 22). */
const NODE_MESSAGE = "The module '/app/node_modules/better-sqlite3/build/Release/better_sqlite3.node'\n"
    + "was compiled against a different Node.js version using\nNODE_MODULE_VERSION 115. This version of Node.js requires\n"
    + "NODE_MODULE_VERSION 127. Please try re-compiling or re-installing\nthe module (for instance, using `npm rebuild` or `npm install`).";

/** What each better-sqlite3 message adds for npm 12, which builds it only when the project's allowScripts allows it. */
const NPM12_BEFORE_INSTALL = `; with npm 12, first add "better-sqlite3": true to the allowScripts field of the project's package.json, or npm installs it unbuilt`;
const NPM12_BEFORE_REBUILD = "npm install-scripts approve better-sqlite3";

/** A hook that makes `pkg` (and every module inside it) not found, as Node says it. */
const notInstalled = (pkg: string) => `
        const Module = require("module");
        const resolve = Module._resolveFilename;
        Module._resolveFilename = function (request, ...rest) {
            if (request === ${JSON.stringify(pkg)} || request.startsWith(${JSON.stringify(pkg + "/")})) {
                const e = new Error("Cannot find module '" + request + "'"); e.code = "MODULE_NOT_FOUND"; throw e;
            }
            return resolve.call(this, request, ...rest);
        };`;

/** What the `bindings` package says when better-sqlite3's native part was never built (its paths shortened here). */
const BINDINGS_MESSAGE = "Could not locate the bindings file. Tried:\n → /app/node_modules/better-sqlite3/build/better_sqlite3.node\n"
    + " → /app/node_modules/better-sqlite3/build/Release/better_sqlite3.node";

/** A hook that makes loading better-sqlite3's native part throw `message`. */
const nativePartFails = (message: string) => `
        const Module = require("module");
        const load = Module.prototype.require;
        Module.prototype.require = function (request) {
            if (request === "bindings") return () => { throw new Error(${JSON.stringify(message)}); };
            return load.apply(this, arguments);
        };`;

/** Hooks put in place before the provider loads. */
const HOOKS = {
    none: "",
    // As if `npm install --omit=optional` had left better-sqlite3 out.
    missing: notInstalled("better-sqlite3"),
    // As a project that never installed the optional peer dependency the datasphere backend needs.
    sdkMissing: notInstalled("@yandex-cloud/nodejs-sdk"),
    // As if the native part had been built by another Node.js: loading it throws Node's own message.
    otherNode: nativePartFails(NODE_MESSAGE),
    // As if npm had installed better-sqlite3 without running its install script: `bindings` finds no native part.
    unbuilt: nativePartFails(BINDINGS_MESSAGE),
};

function run(hook: keyof typeof HOOKS, settings: Record<string, string>): { error?: { code: string; message: string }; sqliteLoaded: boolean } {
    const script = `
        ${HOOKS[hook]}
        const host = require("./provider/dynamic/host");
        host.configure({ get: () => undefined, rawConfig: ${JSON.stringify(settings)} });
        const sqliteLoaded = () => Object.keys(require.cache).some((f) => f.includes("better-sqlite3"));
        // As the host's methods do: the client is opened inside the call, so opening fails the call.
        (async () => host.openClient().get("Organization", "orgaaaaaaaaaaaaaaaaa"))().then(
            () => process.stdout.write(JSON.stringify({ sqliteLoaded: sqliteLoaded() })),
            (e) => process.stdout.write(JSON.stringify({ error: { code: e.code, message: e.message }, sqliteLoaded: sqliteLoaded() })),
        );
    `;
    const child = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], { cwd: REPO, encoding: "utf8" });
    if (child.status !== 0) throw new Error(child.stderr);
    return JSON.parse(child.stdout);
}

describe("loading better-sqlite3", () => {
    it("happens only in the embedded backend", () => {
        const embedded = run("none", { "mlplatform:dataDir": path.join(tmp, "data") });
        expect(embedded).toMatchObject({ error: { code: "NOT_FOUND" }, sqliteLoaded: true });
        // A served control plane that is not there: the call fails, and the native module was never needed.
        const served = run("none", { "mlplatform:endpoint": "http://127.0.0.1:1", "mlplatform:token": "t" });
        expect(served).toMatchObject({ error: { code: "UNAVAILABLE" }, sqliteLoaded: false });
    });

    it("says how to install it when it is missing", () => {
        const result = run("missing", { "mlplatform:dataDir": path.join(tmp, "missing") });
        expect(result.error?.code).toBe("FAILED_PRECONDITION");
        expect(result.error?.message).toBe("the embedded backend needs the better-sqlite3 package, which is not installed (an optional dependency of pulumi-mlplatform). "
            + `Install it in the program's project (npm install better-sqlite3@${MANIFEST.optionalDependencies["better-sqlite3"]}${NPM12_BEFORE_INSTALL}), `
            + "or point the provider at a served control plane or DataSphere (mlplatform:backend).");
    });

    it("says how to rebuild it, in one line, when another Node.js built it", () => {
        const result = run("otherNode", { "mlplatform:dataDir": path.join(tmp, "other") });
        expect(result.error?.code).toBe("FAILED_PRECONDITION");
        // npm 12's rebuild skips a script the project has not allowed: the fix names the field and the command.
        expect(result.error?.message).toMatch(/^better-sqlite3 was built for another Node\.js \(built for NODE_MODULE_VERSION 115, this Node\.js v\d+\.\d+\.\d+ needs 127\)\. Rebuild it with the Node\.js that runs Pulumi: npm rebuild better-sqlite3 /);
        expect(result.error?.message).toMatch(/ \(npm 12 runs the build only if the allowScripts field of the project's package\.json allows it: npm install-scripts approve better-sqlite3\)$/);
        expect(result.error?.message).not.toContain("\n");
    });

    it("says how to allow and build it, in one line, when its install script never ran (--ignore-scripts, or npm 12)", () => {
        const result = run("unbuilt", { "mlplatform:dataDir": path.join(tmp, "unbuilt") });
        expect(result.error).toEqual({
            code: "FAILED_PRECONDITION",
            message: "better-sqlite3 is installed without its native part: its install script did not run (npm install --ignore-scripts, "
                + "or npm 12 without better-sqlite3 allowed in the allowScripts field of the project's package.json). "
                + `Allow it (${NPM12_BEFORE_REBUILD}), then build it with the Node.js that runs Pulumi: npm rebuild better-sqlite3`,
        });
    });
});

describe("mlplatform serve without better-sqlite3", () => {
    it("says in one line how to install it, and serves nothing", () => {
        // The command as the package's bin runs it, better-sqlite3 left out as `npm install --omit=optional` leaves it.
        const script = `${HOOKS.missing}
            require("./provider/cli").main(["serve", "--port", "0"]).then((code) => { process.exitCode = code; });`;
        const child = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], {
            cwd: REPO, encoding: "utf8", timeout: 60_000,
            env: { ...process.env, MLPLATFORM_SERVER_TOKENS: "t=userAccount:alice", MLPLATFORM_DATA_DIR: path.join(tmp, "serve") },
        });
        expect(child.status, child.stderr).toBe(1);
        expect(child.stdout).toBe("");
        expect(child.stderr).toBe("mlplatform serve: the control plane keeps its database with better-sqlite3, which is not installed (an optional dependency of pulumi-mlplatform). "
            + `Install it beside pulumi-mlplatform: npm install better-sqlite3@${MANIFEST.optionalDependencies["better-sqlite3"]}${NPM12_BEFORE_INSTALL}\n`);
    });
});

describe("nativeModuleProblem", () => {
    it.each([
        ["Node's version message", NODE_MESSAGE, /NODE_MODULE_VERSION 115, this Node\.js .* needs 127/],
        ["a binary of another platform", "/app/better_sqlite3.node: invalid ELF header", /built for another platform/],
    ])("turns %s into the fix", (_label, message, pattern) => {
        expect(nativeModuleProblem(new Error(message))?.message).toMatch(pattern);
    });

    it("leaves every other error alone", () => {
        expect(nativeModuleProblem(new Error("SQLITE_CANTOPEN: unable to open database file"))).toBeUndefined();
        expect(nativeModuleProblem("not an error")).toBeUndefined();
    });
});

describe("loading the Yandex Cloud SDK", () => {
    it("says which version to install when the datasphere backend finds it missing", () => {
        const result = run("sdkMissing", { "mlplatform:backend": "datasphere", "mlplatform:iamToken": "t1.test-token" });
        expect(result.error?.code).toBe("FAILED_PRECONDITION");
        expect(MANIFEST.peerDependenciesMeta["@yandex-cloud/nodejs-sdk"]).toEqual({ optional: true });
        expect(result.error?.message).toBe("the datasphere backend needs the @yandex-cloud/nodejs-sdk package, which is not installed (an optional peer dependency of pulumi-mlplatform). "
            + `Install it in the program's project (npm install @yandex-cloud/nodejs-sdk@${MANIFEST.peerDependencies["@yandex-cloud/nodejs-sdk"]}), `
            + "or use the embedded or served control plane (mlplatform:backend).");
        expect(result.error?.message).not.toContain("t1.test-token");
    });

    it("is not needed by the other backends", () => {
        const embedded = run("sdkMissing", { "mlplatform:dataDir": path.join(tmp, "no-sdk") });
        expect(embedded).toMatchObject({ error: { code: "NOT_FOUND" }, sqliteLoaded: true });
    });
});
