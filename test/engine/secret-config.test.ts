// Secure stack config, as the Pulumi CLI's passphrase secrets provider encrypts it (issue 16 item 8): decrypted with
// PULUMI_CONFIG_PASSPHRASE(_FILE), given to the program as secret config and to the provider's Configure as secrets,
// and never printed or written in plain text. The real pulumi-mlplatform package on its embedded control plane takes a
// credential (mlplatform:encryptionKey) from a secure value.
import { spawn } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { PassphraseCrypter } from "../../engine/config-secrets";
import { loadProject, loadStackConfig } from "../../engine/project";
import { reviewPreview } from "../../provider/review/review";
import { assertBuilt, CLI, collect, filesContaining } from "./harness";

const ROOT = path.resolve(__dirname, "../..");

let dir: string | undefined;
afterEach(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    dir = undefined;
});

describe("the passphrase crypter", () => {
    it("opens the salt of Pulumi's own tests and decrypts their secure value", () => {
        // pkg/secrets/passphrase/manager_test.go: this state with "password" is right, with "password123" wrong.
        const managerTestSalt = "v1:fozI5u6B030=:v1:F+6ZduKKd8G0/V7L:PGMFeIzwobWRKmEAzUdaQHqC5mMRIQ==";
        expect(() => PassphraseCrypter.open(managerTestSalt, "password", "Pulumi.dev.yaml")).not.toThrow();
        expect(() => PassphraseCrypter.open(managerTestSalt, "password123", "Pulumi.dev.yaml")).toThrow(
            "Pulumi.dev.yaml: incorrect passphrase: it is not the one the stack's config was encrypted with (encryptionsalt). Set PULUMI_CONFIG_PASSPHRASE to the correct passphrase, or PULUMI_CONFIG_PASSPHRASE_FILE to a file containing it.",
        );
        // tests/roundtrip/roundtrip_test.go TestConfigRoundtripComments: the stack file the CLI keeps as written, with
        // `foo:d: {secure: ...}`, under the passphrase "TestConfigRoundtripComments".
        const crypter = PassphraseCrypter.open("v1:ThS5UPxP9qc=:v1:UZYAXF+ylaJ0rGhv:9OTvBnOEDFgxs7btjzSu+LZ470vLpg==", "TestConfigRoundtripComments", "Pulumi.test.yaml");
        expect(crypter.decrypt("v1:T1ftqhY0hqr+EJK6:+jvd5PMecFx80tcavzuZY4tLatgIfoe/xR72GA==", "foo:d", "Pulumi.test.yaml")).toBe("secret-value");
    });

    it("round-trips what it encrypts, and refuses a value made with another salt without showing it", () => {
        const { encryptionSalt, crypter } = PassphraseCrypter.create("correct horse");
        const reopened = PassphraseCrypter.open(encryptionSalt, "correct horse", "Pulumi.dev.yaml");
        const ciphertext = crypter.encrypt("tøken: \"x\"");
        expect(ciphertext).toMatch(/^v1:[A-Za-z0-9+/]{16}:[A-Za-z0-9+/=]+$/);
        expect(reopened.decrypt(ciphertext, "p:token", "Pulumi.dev.yaml")).toBe("tøken: \"x\"");
        const other = PassphraseCrypter.create("correct horse").crypter;
        expect(() => other.decrypt(ciphertext, "p:token", "Pulumi.dev.yaml")).toThrow(
            "Pulumi.dev.yaml: the secure value of 'p:token' cannot be decrypted with this passphrase: it is malformed or was encrypted for another stack.",
        );
    });
});

/** A project in a folder of its own, with a stack file whose secure values `secure` encrypts with `passphrase`. */
function projectWithSecrets(passphrase: string, config: (encrypt: (v: string) => { secure: string }) => Record<string, unknown>, extra = ""): string {
    const folder = fs.mkdtempSync(path.join(ROOT, "test", ".installed-secret-config-"));
    const { encryptionSalt, crypter } = PassphraseCrypter.create(passphrase);
    fs.writeFileSync(path.join(folder, "Pulumi.yaml"), "name: secrets\nruntime: nodejs\nmain: index.js\n");
    fs.writeFileSync(path.join(folder, "index.js"), "");
    fs.writeFileSync(
        path.join(folder, "Pulumi.dev.yaml"),
        `${extra}encryptionsalt: ${encryptionSalt}\nconfig: ${JSON.stringify(config((v) => ({ secure: crypter.encrypt(v) })))}\n`,
    );
    return folder;
}

describe("secure values in Pulumi.<stack>.yaml", () => {
    it("are decrypted, marked secret, shown as [secret], and a plain --config value stays plain", () => {
        dir = projectWithSecrets("pass", (secure) => ({ "secrets:token": secure("s3cr3t"), "secrets:db": { user: "app", password: secure("pw") }, "secrets:region": "eu" }));
        const config = loadStackConfig(loadProject(dir), "dev", ["region=us"], { PULUMI_CONFIG_PASSPHRASE: "pass" });
        expect(config.values).toEqual({ "secrets:token": "s3cr3t", "secrets:db": '{"user":"app","password":"pw"}', "secrets:region": "us" });
        expect(config.secretKeys.sort()).toEqual(["secrets:db", "secrets:token"]);
        expect(config.shown).toEqual({ "secrets:token": "[secret]", "secrets:db": '{"user":"app","password":"[secret]"}', "secrets:region": "us" });
        expect(config.secrets.sort()).toEqual(["pw", "s3cr3t"]);
        // The passphrase from a file, trimmed (manager.go readPassphrase).
        const file = path.join(dir, "passphrase.txt");
        fs.writeFileSync(file, "pass\n");
        expect(loadStackConfig(loadProject(dir), "dev", [], { PULUMI_CONFIG_PASSPHRASE_FILE: file }).values["secrets:token"]).toBe("s3cr3t");
    });

    it("need the passphrase only when there is a secure value, and name what is missing", () => {
        dir = projectWithSecrets("pass", (secure) => ({ "secrets:token": secure("s3cr3t") }));
        const project = loadProject(dir);
        expect(() => loadStackConfig(project, "dev", [], {})).toThrow(
            `${path.join(dir, "Pulumi.dev.yaml")} holds secure values: the passphrase must be set with PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE environment variables.`,
        );
        expect(() => loadStackConfig(project, "dev", [], { PULUMI_CONFIG_PASSPHRASE: "wrong" })).toThrow(/incorrect passphrase/);
        // A salt and no secure value: nothing to decrypt, no passphrase needed (every stack file the CLI writes has one).
        fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), `encryptionsalt: ${PassphraseCrypter.create("x").encryptionSalt}\nconfig:\n  secrets:region: eu\n`);
        expect(loadStackConfig(project, "dev", [], {}).values).toEqual({ "secrets:region": "eu" });
    });

    it("of another secrets provider are refused with what to do", () => {
        dir = projectWithSecrets("pass", (secure) => ({ "secrets:token": secure("s3cr3t") }), "secretsprovider: awskms://alias/pulumi?region=eu-west-1\nencryptedkey: AQICAHh=\n");
        const project = loadProject(dir);
        expect(() => loadStackConfig(project, "dev", [], { PULUMI_CONFIG_PASSPHRASE: "pass" })).toThrow(
            'secretsprovider "awskms://alias/pulumi?region=eu-west-1" is a cloud secrets provider, which this engine cannot use; it decrypts only passphrase-encrypted config (encryptionsalt). Pass the secret values with --config for the run, or re-encrypt the stack\'s config with a passphrase: `pulumi stack change-secrets-provider passphrase`.',
        );
        fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "config:\n  secrets:token:\n    secure: AAABAJt2bSwu\n");
        expect(() => loadStackConfig(project, "dev", [], { PULUMI_CONFIG_PASSPHRASE: "pass" })).toThrow(/has secure values but no encryptionsalt: they were encrypted by the Pulumi Cloud's secrets provider/);
    });
});

describe("secure config through the engine, with the real pulumi-mlplatform package", () => {
    beforeAll(assertBuilt);

    it("reaches the program as secret config and the provider's Configure as its credential, and no file or output holds it", { timeout: 180_000 }, async () => {
        // The program: target.go GetPackageConfig marks the secure values secret in the default provider's inputs,
        // the SDK's host unwraps them for the provider; the nodejs language host passes PULUMI_CONFIG_SECRET_KEYS.
        const encryptionKey = crypto.randomBytes(32).toString("base64");
        const apiToken = `token-${crypto.randomBytes(8).toString("hex")}`;
        dir = projectWithSecrets("s3cret passphrase", (secure) => ({
            "mlplatform:encryptionKey": secure(encryptionKey),
            "mlplatform:dataDir": "data",
            "secrets:apiToken": secure(apiToken),
        }));
        fs.writeFileSync(
            path.join(dir, "index.js"),
            [
                'const pulumi = require("@pulumi/pulumi");',
                'const ml = require("pulumi-mlplatform");',
                "const config = new pulumi.Config();",
                "const token = config.requireSecret(\"apiToken\");",
                'const org = new ml.Organization("acme", { displayName: "Acme", defaultZone: "ru-central1-a" });',
                'const account = new ml.BillingAccount("main", { organization: org, status: "active" });',
                'const research = new ml.Community("research", { organization: org, zone: "ru-central1-a", billingAccount: account });',
                // Copied into a field that is not secret and logged, as a careless program might: the CLI blinds the
                // plaintext wherever it prints it, so the plan's JSON, and the review made of it, must not show it.
                'const project = new ml.Project("training", { community: research, description: config.getBoolean("plainCopy") ? config.require("apiToken") : undefined });',
                'if (config.getBoolean("plainCopy")) pulumi.log.info(`the token is ${config.require("apiToken")}`);',
                'new ml.Secret("api-token", { project, value: token });',
                'if (config.getBoolean("leak")) throw new Error(`the token is ${config.require("apiToken")}`);',
                "exports.tokenIsSecret = token.isSecret;",
                'exports.keyIsSecret = pulumi.runtime.isConfigSecret("mlplatform:encryptionKey");',
                'exports.plainIsSecret = pulumi.runtime.isConfigSecret("mlplatform:dataDir");',
            ].join("\n"),
        );
        const env = { ...process.env, PULUMI_CONFIG_PASSPHRASE: "s3cret passphrase" };
        const run = (...args: string[]) => collect(spawn(process.execPath, [CLI, ...args], { env, stdio: ["ignore", "pipe", "pipe"] }));

        const outputs: string[] = [];
        // The plan of a new stack, as a pull request's CI job reviews it (`mlplatform review`): every create shown.
        const plan = await run("preview", dir, "--json", "--show-sames", "--config", "plainCopy=true");
        outputs.push(plan.stdout, plan.stderr);
        expect(plan.code, plan.stderr).toBe(0);
        const planned = JSON.parse(plan.stdout);
        const copied = planned.steps.find((s: { urn: string }) => s.urn.endsWith("::training")).newState.inputs.description;
        expect(copied).toBe("[secret]");
        expect(JSON.stringify(planned.diagnostics)).toContain("the token is [secret]");
        const { markdown, svg } = reviewPreview(plan.stdout, "plan.json");
        expect(markdown).toContain("**Plan:** 6 to create");
        expect(markdown).toMatch(/\| \+ \| Secret api-token \| <code>value<\/code> \|\s+\| <code>\[secret\]<\/code> \|/);
        expect(markdown).toMatch(/\| \+ \| Project training \| <code>description<\/code> \|\s+\| <code>\[secret\]<\/code> \|/);
        outputs.push(markdown, svg);

        const up = await run("up", dir, "--yes", "--diff");
        outputs.push(up.stdout, up.stderr);
        expect(up.code, up.stdout + up.stderr).toBe(0);
        expect(up.stdout).toMatch(/tokenIsSecret *: true/);
        expect(up.stdout).toMatch(/keyIsSecret *: true/);
        expect(up.stdout).toMatch(/plainIsSecret *: false/);
        // The provider took the key from Configure: the embedded control plane made no key file of its own.
        expect(fs.readdirSync(path.join(dir, "data")).sort()).not.toContain("platform.key");

        const json = await run("preview", dir, "--json");
        outputs.push(json.stdout, json.stderr);
        expect(json.code, json.stderr).toBe(0);
        expect(JSON.parse(json.stdout).config).toEqual({ "mlplatform:dataDir": "data", "mlplatform:encryptionKey": "[secret]", "secrets:apiToken": "[secret]" });

        // A program that puts the token in an error message: the message shows [secret] (events.go FilterString).
        const leak = await run("preview", dir, "--config", "leak=true");
        outputs.push(leak.stdout, leak.stderr);
        expect(leak.code).toBe(1);
        expect(leak.stderr).toContain("the token is [secret]");

        // A wrong passphrase: one line, no stack trace.
        const wrong = await collect(spawn(process.execPath, [CLI, "preview", dir], { env: { ...env, PULUMI_CONFIG_PASSPHRASE: "guess" }, stdio: ["ignore", "pipe", "pipe"] }));
        expect(wrong.code).toBe(1);
        expect(wrong.stderr.trim().split("\n")).toEqual([`error: ${path.join(dir, "Pulumi.dev.yaml")}: incorrect passphrase: it is not the one the stack's config was encrypted with (encryptionsalt). Set PULUMI_CONFIG_PASSPHRASE to the correct passphrase, or PULUMI_CONFIG_PASSPHRASE_FILE to a file containing it.`]);

        // destroy configures the provider from the state, where the key is kept encrypted, and works with it.
        const destroy = await run("destroy", dir, "--yes");
        outputs.push(destroy.stdout, destroy.stderr);
        expect(destroy.code, destroy.stdout + destroy.stderr).toBe(0);

        for (const secret of [encryptionKey, apiToken]) {
            expect(outputs.filter((o) => o.includes(secret))).toEqual([]);
            expect(filesContaining(dir, secret)).toEqual([]);
        }
    });
});
