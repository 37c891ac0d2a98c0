// `mlplatform-engine config set|get|rm` (engine/stack-config.ts): Pulumi.<stack>.yaml written as `pulumi config`
// writes it, so that a secure value can be made without the Pulumi CLI. The passphrase provider's key derivation is
// PBKDF2 with 1,000,000 rounds (about a second each, no cheaper setting for tests): the flow below derives six keys.
import { spawn } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { parseConfigArgs } from "../../engine/cli";
import { loadProject, loadStackConfig, parseYaml } from "../../engine/project";
import { removeConfig, setConfig } from "../../engine/stack-config";
import { assertBuilt, CLI, collect, filesContaining, type RunResult } from "./harness";

const ROOT = path.resolve(__dirname, "../..");

let dir: string | undefined;
afterEach(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    dir = undefined;
});

/** A project named `name` in a folder of its own (in the repository, so that its program finds @pulumi/pulumi). */
function newProject(name: string, program = "", extra = ""): string {
    dir = fs.mkdtempSync(path.join(ROOT, "test", ".installed-config-command-"));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${name}\nruntime: nodejs\nmain: index.js\n${extra}`);
    fs.writeFileSync(path.join(dir, "index.js"), program);
    return dir;
}

/** The environment of a run: this one's, without a passphrase unless `env` gives one. */
function envWith(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
    const { PULUMI_CONFIG_PASSPHRASE: _phrase, PULUMI_CONFIG_PASSPHRASE_FILE: _file, ...rest } = process.env;
    return { ...rest, ...env };
}

/** The built engine with these arguments, `stdin` written to its standard input. */
function engine(args: string[], env: NodeJS.ProcessEnv = {}, stdin = ""): Promise<RunResult> {
    const child = spawn(process.execPath, [CLI, ...args], { env: envWith(env), stdio: ["pipe", "pipe", "pipe"] });
    child.stdin!.end(stdin);
    return collect(child);
}

describe("config's command line", () => {
    it("reads keys as the CLI does: <namespace>:<name>, <namespace>:config:<name>, or a name of the project", () => {
        expect(parseConfigArgs(["config", "set", "dir", "token", "v", "--secret"])).toEqual({ action: "set", programDir: "dir", stack: "dev", key: { name: "token" }, value: "v", secret: true });
        expect(parseConfigArgs(["config", "get", "dir", "mlplatform:token", "-s", "prod"])).toEqual({ action: "get", programDir: "dir", stack: "prod", key: { namespace: "mlplatform", name: "token" }, secret: false });
        expect(parseConfigArgs(["config", "remove", "dir", "aws:config:region"])).toMatchObject({ action: "rm", key: { namespace: "aws", name: "region" } });
        // Without a value, set reads it from stdin; a value that starts with '-' comes after --.
        expect(parseConfigArgs(["config", "set", "dir", "token"])).not.toHaveProperty("value");
        expect(parseConfigArgs(["config", "set", "dir", "token", "--", "-1"]).value).toBe("-1");
    });

    it.each(["a:b:c", ":token", "mlplatform:", ""])("refuses the key %j, naming it and the fix", (key) => {
        expect(() => parseConfigArgs(["config", "set", "dir", key, "v"])).toThrow(
            new Error(`invalid configuration key ${JSON.stringify(key)}: write it as <namespace>:<name> (e.g. mlplatform:token), or as <name> alone for the project's own namespace`),
        );
    });

    it.each([
        [["config"], "missing config command: set, get, rm"],
        [["config", "list", "dir"], "unknown config command 'list'; the config commands are set, get, rm"],
        [["config", "get"], "missing program directory"],
        [["config", "get", "dir"], "config get needs a key: config get <programDir> <key>"],
        [["config", "get", "dir", "k", "v"], "config get takes one key: one argument too many"],
        [["config", "rm", "dir", "k", "--secret"], "--secret is an option of config set"],
        [["config", "set", "dir", "k", "v", "--yes"], "--yes is not an option of config; the options are --stack (-s), --secret, --help (-h)"],
        // What follows a key may be the secret itself: an unknown option is not shown.
        [["config", "set", "dir", "k", "--s3cr3t"], "unknown option (not shown: it may be the value; a value that starts with '-' goes after --, as in config set <programDir> <key> -- <value>); the options are --stack (-s), --secret, --help (-h)"],
    ])("rejects %j: %s", (argv, message) => {
        expect(() => parseConfigArgs(argv)).toThrow(new Error(message));
    });
});

describe("config set on the stack file's lines", () => {
    // tests/roundtrip/roundtrip_test.go TestConfigRoundtripComments: the file, and what `pulumi config set e E` makes
    // of it (the CLI's expected text, without the test's second, --path, edit).
    const ROUNDTRIP = [
        "encryptionsalt: v1:ThS5UPxP9qc=:v1:UZYAXF+ylaJ0rGhv:9OTvBnOEDFgxs7btjzSu+LZ470vLpg==",
        "# 🔴 header comment",
        "config:",
        "  foo:a: some-value # 🟠 comment after value",
        "  # 🟡 comment before key",
        "  foo:b: some-value",
        "  foo:c:",
        "    a: A",
        "    b: B",
        "    c:",
        "      - 1",
        "      - 2",
        "      - 3 # 🟢 comment in array",
        "      # 🔵 comment after array",
        "  foo:d:",
        "    secure: v1:T1ftqhY0hqr+EJK6:+jvd5PMecFx80tcavzuZY4tLatgIfoe/xR72GA== # 🟣 comment on secret",
        "",
        "# 🟥 footer comment",
    ];

    it("keeps the other keys, their order and comments, adds a key at the end of config:, and removes one with its comment", () => {
        const folder = newProject("foo");
        const file = path.join(folder, "Pulumi.test.yaml");
        fs.writeFileSync(file, ROUNDTRIP.join("\n"));
        const project = loadProject(folder);

        expect(setConfig(project, "test", { name: "e" }, "E", false, {})).toEqual({ file, rewritten: false });
        const withE = [...ROUNDTRIP.slice(0, 16), "  foo:e: E", ...ROUNDTRIP.slice(16)];
        expect(fs.readFileSync(file, "utf8")).toBe(`${withE.join("\n")}\n`);

        // A key set again keeps its place (its own line's comment goes with the old value); another way of writing
        // it is the same key.
        setConfig(project, "test", { namespace: "foo", name: "a" }, "true", false, {});
        expect(fs.readFileSync(file, "utf8").split("\n")[3]).toBe("  foo:a: 'true'");

        expect(removeConfig(project, "test", { name: "b" })).toEqual({ file, removed: true, rewritten: false });
        const lines = fs.readFileSync(file, "utf8").split("\n");
        expect(lines.slice(3, 6)).toEqual(["  foo:a: 'true'", "  foo:c:", "    a: A"]);
        expect(lines).toContain("      # 🔵 comment after array");
        expect(lines.slice(-4)).toEqual(["  foo:e: E", "", "# 🟥 footer comment", ""]);
        expect(removeConfig(project, "test", { name: "missing" })).toEqual({ file, removed: false, rewritten: false });
        expect(parseYaml(fs.readFileSync(file, "utf8"), file).config).toEqual({
            "foo:a": "true",
            "foo:c": { a: "A", b: "B", c: [1, 2, 3] },
            "foo:d": { secure: "v1:T1ftqhY0hqr+EJK6:+jvd5PMecFx80tcavzuZY4tLatgIfoe/xR72GA==" },
            "foo:e": "E",
        });
    });

    it("writes a flow-style file out whole, and refuses a key Pulumi.yaml declares secret without --secret", () => {
        const folder = newProject("foo", "", "config:\n  apiKey:\n    type: string\n    secret: true\n");
        const file = path.join(folder, "Pulumi.dev.yaml");
        fs.writeFileSync(file, '# flow style\nconfig: {"foo:a": "x", "aws:region": "eu"}\n');
        const project = loadProject(folder);
        expect(setConfig(project, "dev", { name: "b" }, "x2", false, {})).toEqual({ file, rewritten: true });
        expect(fs.readFileSync(file, "utf8")).toBe("config:\n  foo:a: x\n  aws:region: eu\n  foo:b: x2\n");

        expect(() => setConfig(project, "dev", { name: "apiKey" }, "k", false, {})).toThrow(
            "'foo:apiKey' is declared secret in Pulumi.yaml (secret: true), so its value must be encrypted: set it with --secret.",
        );
        expect(fs.readFileSync(file, "utf8")).not.toContain("apiKey");
    });
});

describe("config set --secret through the built engine", () => {
    beforeAll(assertBuilt);

    it("works before the program is written, as pulumi config set does", async () => {
        dir = fs.mkdtempSync(path.join(ROOT, "test", ".installed-config-command-"));
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: early\nruntime: nodejs\nmain: index.js\n");
        expect(await engine(["config", "set", dir, "region", "eu-west"])).toEqual({ code: 0, stdout: "", stderr: "" });
        expect(parseYaml(fs.readFileSync(path.join(dir, "Pulumi.dev.yaml"), "utf8"), "Pulumi.dev.yaml")).toEqual({ config: { "early:region": "eu-west" } });
        expect(await engine(["config", "get", dir, "region"])).toEqual({ code: 0, stdout: "eu-west\n", stderr: "" });
        // The commands that run the program still want it.
        const preview = await engine(["preview", dir]);
        expect(preview.code).not.toBe(0);
        expect(preview.stdout + preview.stderr).toContain("the program's main 'index.js' does not exist");
    });

    it("writes a value the engine's reader and a program read as a secret, and never shows it", { timeout: 120_000 }, async () => {
        const passphrase = "correct horse battery staple";
        const token = `token-${crypto.randomBytes(8).toString("hex")}`;
        const apiKey = `key-${crypto.randomBytes(8).toString("hex")}`;
        const folder = newProject(
            "cfg",
            [
                'const crypto = require("crypto");',
                'const pulumi = require("@pulumi/pulumi");',
                "const config = new pulumi.Config();",
                'const token = config.requireSecret("token");',
                "exports.tokenIsSecret = token.isSecret;",
                // The token's digest, made plain: the output shows the program read the right value.
                'exports.tokenSha256 = pulumi.unsecret(token.apply((t) => crypto.createHash("sha256").update(t).digest("hex")));',
                'exports.region = config.require("region");',
            ].join("\n"),
        );
        const file = path.join(folder, "Pulumi.dev.yaml");
        const outputs: string[] = [];
        const run = async (args: string[], env: NodeJS.ProcessEnv = {}, stdin = "") => {
            const result = await engine(["config", ...args], env, stdin);
            outputs.push(result.stdout, result.stderr);
            return result;
        };
        const withPassphrase = { PULUMI_CONFIG_PASSPHRASE: passphrase };

        // No stack file yet: the value from stdin (its trailing newline dropped), a new salt, nothing printed.
        const set = await run(["set", folder, "token", "--secret"], withPassphrase, `${token}\n`);
        expect(set).toEqual({ code: 0, stdout: "", stderr: "" });
        const written = fs.readFileSync(file, "utf8");
        // The CLI's shape: the salt (v1:<8-byte salt>:<"pulumi" encrypted>) at the top, then config:.
        expect(written).toMatch(/^encryptionsalt: v1:[A-Za-z0-9+/]{11}=:v1:[A-Za-z0-9+/]{16}:[A-Za-z0-9+/=]+\nconfig:\n {2}cfg:token:\n {4}secure: v1:[A-Za-z0-9+/]{16}:[A-Za-z0-9+/=]+\n$/);
        expect(written).not.toContain(token);
        expect((fs.statSync(file).mode & 0o777).toString(8)).toBe("644");
        // The engine's own reader decrypts it, as a secret.
        const read = loadStackConfig(loadProject(folder), "dev", [], withPassphrase);
        expect(read.values["cfg:token"]).toBe(token);
        expect(read.secretKeys).toEqual(["cfg:token"]);

        // A wrong passphrase, or none: refused in one line, the file unchanged.
        const wrong = await run(["set", folder, "mlplatform:apiKey", apiKey, "--secret"], { PULUMI_CONFIG_PASSPHRASE: "guess" });
        expect(wrong.code).toBe(1);
        expect(wrong.stderr.trimEnd().split("\n")).toEqual([
            `error: ${file}: incorrect passphrase: it is not the one the stack's config was encrypted with (encryptionsalt). Set PULUMI_CONFIG_PASSPHRASE to the correct passphrase, or PULUMI_CONFIG_PASSPHRASE_FILE to a file containing it.`,
        ]);
        const none = await run(["set", folder, "mlplatform:apiKey", apiKey, "--secret"]);
        expect(none.code).toBe(1);
        expect(none.stderr).toBe(`error: ${file}: 'mlplatform:apiKey' is to be encrypted: the passphrase must be set with PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE environment variables.\n`);
        const badKey = await run(["set", folder, "mlplatform:config:x:y", apiKey]);
        expect(badKey.code).toBe(2);
        expect(badKey.stderr).toMatch(/^error: invalid configuration key "mlplatform:config:x:y": write it as <namespace>:<name> /);
        expect(fs.readFileSync(file, "utf8")).toBe(written);

        // The passphrase from a file; a second secret under the same salt, after the first; a plain value.
        const passphraseFile = path.join(folder, "passphrase.txt");
        fs.writeFileSync(passphraseFile, `${passphrase}\n`);
        expect(await run(["set", folder, "mlplatform:apiKey", apiKey, "--secret"], { PULUMI_CONFIG_PASSPHRASE_FILE: passphraseFile })).toMatchObject({ code: 0, stdout: "" });
        expect(await run(["set", folder, "region", "eu-west"])).toMatchObject({ code: 0, stdout: "", stderr: "" });
        const config = parseYaml(fs.readFileSync(file, "utf8"), file);
        expect(config.encryptionsalt).toBe(parseYaml(written, file).encryptionsalt);
        expect(Object.keys(config.config as object)).toEqual(["cfg:token", "mlplatform:apiKey", "cfg:region"]);

        // get prints the value; a secure one decrypted, as `pulumi config get` does (only then is the passphrase needed).
        expect(await engine(["config", "get", folder, "region"])).toEqual({ code: 0, stdout: "eu-west\n", stderr: "" });
        expect(await engine(["config", "get", folder, "cfg:token"], withPassphrase)).toEqual({ code: 0, stdout: `${token}\n`, stderr: "" });
        expect(await run(["get", folder, "zone"])).toEqual({ code: 1, stdout: "", stderr: "error: configuration key 'zone' not found for stack 'dev'\n" });

        // rm takes the key and leaves the others; a key that is not there changes nothing.
        expect(await run(["rm", folder, "mlplatform:apiKey"])).toEqual({ code: 0, stdout: "", stderr: "" });
        const afterRm = fs.readFileSync(file, "utf8");
        expect(Object.keys(parseYaml(afterRm, file).config as object)).toEqual(["cfg:token", "cfg:region"]);
        expect(await run(["rm", folder, "mlplatform:apiKey"])).toEqual({ code: 0, stdout: "", stderr: `note: 'mlplatform:apiKey' is not set in ${file}; nothing was removed\n` });
        expect(fs.readFileSync(file, "utf8")).toBe(afterRm);

        // The program reads it as secret config: one engine run.
        const up = await engine(["up", folder, "--yes", "--skip-preview"], withPassphrase);
        outputs.push(up.stdout, up.stderr);
        expect(up.code, up.stdout + up.stderr).toBe(0);
        expect(up.stdout).toMatch(/tokenIsSecret *: true/);
        expect(up.stdout).toContain(`"${crypto.createHash("sha256").update(token).digest("hex")}"`);
        expect(up.stdout).toMatch(/region *: "eu-west"/);

        for (const secret of [token, apiKey]) {
            expect(outputs.filter((o) => o.includes(secret))).toEqual([]);
            expect(filesContaining(folder, secret)).toEqual([]);
        }
    });
});
