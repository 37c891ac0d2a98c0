// resolveConfig: stack config first, then the environment, then defaults; bad settings named with their
// config key and environment variable, secrets never shown.
import * as path from "path";
import { describe, expect, it } from "vitest";
import { DEFAULT_DATA_DIR, DEFAULT_PRINCIPAL, resolveConfig, SETTINGS, settingsFromConfig } from "../../provider/client/config";
import { expectError } from "../controlplane/support";

const KEY = Buffer.alloc(32, 7).toString("base64");

describe("resolveConfig", () => {
    it("defaults to the embedded database next to the program, as the owner", () => {
        expect(resolveConfig({}, {}, "/prog")).toEqual({ mode: "embedded", dataDir: path.join("/prog", DEFAULT_DATA_DIR), principal: DEFAULT_PRINCIPAL, encryptionKey: undefined });
        expect(DEFAULT_PRINCIPAL).toBe("userAccount:owner");
    });

    it("reads every setting from its environment variable", () => {
        expect(Object.fromEntries(Object.entries(SETTINGS).map(([k, s]) => [k, s.env]))).toEqual({
            backend: "MLPLATFORM_BACKEND", dataDir: "MLPLATFORM_DATA_DIR", principal: "MLPLATFORM_PRINCIPAL", encryptionKey: "MLPLATFORM_ENCRYPTION_KEY",
            endpoint: "MLPLATFORM_ENDPOINT", token: "MLPLATFORM_TOKEN",
            // The DataSphere backend reads credentials where `yc` and the Terraform provider do.
            iamToken: "YC_TOKEN", serviceAccountKeyFile: "YC_SERVICE_ACCOUNT_KEY_FILE",
            dataSphereEndpoint: "MLPLATFORM_DATASPHERE_ENDPOINT", operationEndpoint: "MLPLATFORM_OPERATION_ENDPOINT",
            organizationManagerEndpoint: "MLPLATFORM_ORGANIZATION_MANAGER_ENDPOINT", billingEndpoint: "MLPLATFORM_BILLING_ENDPOINT", iamEndpoint: "MLPLATFORM_IAM_ENDPOINT",
            tlsRootCertFile: "MLPLATFORM_TLS_ROOT_CERT_FILE",
            maxConcurrentCalls: "MLPLATFORM_MAX_CONCURRENT_CALLS",
        });
        expect(resolveConfig({}, { MLPLATFORM_DATA_DIR: "/abs", MLPLATFORM_PRINCIPAL: "serviceAccount:ci", MLPLATFORM_ENCRYPTION_KEY: KEY }, "/prog"))
            .toEqual({ mode: "embedded", dataDir: "/abs", principal: "serviceAccount:ci", encryptionKey: KEY });
        expect(resolveConfig({}, { MLPLATFORM_ENDPOINT: "https://cp.example.net", MLPLATFORM_TOKEN: "t" }, "/prog"))
            .toEqual({ mode: "http", endpoint: "https://cp.example.net", token: "t" });
    });

    it("lets stack config win over the environment, ignores empty values, and resolves relative folders against the program", () => {
        const c = resolveConfig({ dataDir: "state", principal: "userAccount:alice" }, { MLPLATFORM_DATA_DIR: "/elsewhere", MLPLATFORM_PRINCIPAL: "userAccount:bob" }, "/prog");
        expect(c).toMatchObject({ mode: "embedded", dataDir: "/prog/state", principal: "userAccount:alice" });
        expect(resolveConfig({ principal: undefined }, { MLPLATFORM_DATA_DIR: "../shared", MLPLATFORM_PRINCIPAL: "", MLPLATFORM_ENDPOINT: "" }, "/prog/app"))
            .toEqual({ mode: "embedded", dataDir: "/prog/shared", principal: DEFAULT_PRINCIPAL, encryptionKey: undefined });
    });

    it("lets the environment win with MLPLATFORM_PREFER_ENVIRONMENT, for a credential rotated after the last up", () => {
        // refresh and destroy configure the provider with the stack config the last up kept in the state
        // (engine/README.md): the switch lets a new token in the environment replace the kept one.
        const kept = { endpoint: "http://cp:8470", token: "old-token", principal: "userAccount:alice" };
        expect(resolveConfig(kept, { MLPLATFORM_TOKEN: "new-token" }, "/p")).toMatchObject({ token: "old-token" });
        expect(resolveConfig(kept, { MLPLATFORM_TOKEN: "new-token", MLPLATFORM_PREFER_ENVIRONMENT: "true" }, "/p")).toMatchObject({ token: "new-token", endpoint: "http://cp:8470" });
        // What the environment does not set (or sets empty) still comes from stack config.
        expect(resolveConfig({ dataDir: "kept" }, { MLPLATFORM_PREFER_ENVIRONMENT: "1", MLPLATFORM_DATA_DIR: "", MLPLATFORM_PRINCIPAL: "userAccount:bob" }, "/p"))
            .toMatchObject({ dataDir: "/p/kept", principal: "userAccount:bob" });
        expect(resolveConfig({ dataDir: "kept" }, { MLPLATFORM_PREFER_ENVIRONMENT: "false", MLPLATFORM_DATA_DIR: "/moved" }, "/p")).toMatchObject({ dataDir: "/p/kept" });
        // DataSphere credentials in the environment win as a whole over a key file in stack config.
        expect(resolveConfig({ backend: "datasphere", serviceAccountKeyFile: "/missing/key.json" }, { YC_TOKEN: "t1.fresh", MLPLATFORM_PREFER_ENVIRONMENT: "true" }, "/p"))
            .toMatchObject({ mode: "datasphere", credentials: { kind: "iamToken", token: "t1.fresh" } });
        expect(expectError(() => resolveConfig({}, { MLPLATFORM_PREFER_ENVIRONMENT: "yes please" }, "/p"))).toMatchObject({
            code: "INVALID_ARGUMENT",
            message: 'environment variable MLPLATFORM_PREFER_ENVIRONMENT must be true or false, got "yes please". Set it to true to let settings in the environment win over stack config (and the config the state kept from the last up).',
        });
    });

    it("switches to HTTP with an endpoint and needs a token", () => {
        expect(resolveConfig({ endpoint: "http://cp:8470", token: "t", dataDir: "ignored" }, {}, "/p")).toEqual({ mode: "http", endpoint: "http://cp:8470", token: "t" });
        expect(expectError(() => resolveConfig({ endpoint: "http://cp:8470" }, {}, "/p"))).toMatchObject({
            code: "INVALID_ARGUMENT",
            message: "provider setting token is required with endpoint http://cp:8470. Set mlplatform:token (as a secret) or MLPLATFORM_TOKEN.",
        });
    });

    it.each([
        [{ principal: "alice" }, /^provider setting principal \(mlplatform:principal or MLPLATFORM_PRINCIPAL\) must be a subject like userAccount:alice, got "alice"\. Subject the provider acts as/],
        [{ principal: "userAccount:" }, /got "userAccount:"/],
        [{ endpoint: "not a url" }, /^provider setting endpoint \(mlplatform:endpoint or MLPLATFORM_ENDPOINT\) must be an http\(s\) URL like http:\/\/platform\.internal:8470, got "not a url"\./],
        [{ endpoint: "ftp://cp:8470" }, /endpoint .* must be an http\(s\) URL .*, got "ftp:\/\/cp:8470"/],
        [{ encryptionKey: Buffer.alloc(16).toString("base64") }, /^provider setting encryptionKey \(mlplatform:encryptionKey or MLPLATFORM_ENCRYPTION_KEY\) must be 32 bytes encoded in base64 \(generate one with: openssl rand -base64 32\), got \[secret\]\./],
        [{ endpoint: "http://cp", token: "alice-token\n" }, /^provider setting token \(mlplatform:token or MLPLATFORM_TOKEN\) must be printable ASCII without spaces or line breaks, got \[secret\]\./],
    ])("names the setting, the value and the fix for %j", (values, message) => {
        const e = expectError(() => resolveConfig(values, {}, "/p"));
        expect(e.code).toBe("INVALID_ARGUMENT");
        expect(e.message).toMatch(message);
    });

    it("never shows a secret setting's value, and reports every invalid setting at once", () => {
        const e = expectError(() => resolveConfig({ endpoint: "not a url" }, { MLPLATFORM_TOKEN: "tok secret", MLPLATFORM_ENCRYPTION_KEY: "key-secret" }, "/p"));
        expect(e.message).toMatch(/^3 problems in the mlplatform configuration:\n {2}- provider setting encryptionKey .*\n {2}- provider setting endpoint .*\n {2}- provider setting token /);
        expect(e.failures.map((f) => f.property)).toEqual(["mlplatform:encryptionKey", "mlplatform:endpoint", "mlplatform:token"]);
        expect(JSON.stringify(e)).not.toMatch(/tok secret|key-secret/);
    });
});

// What the dynamic provider's configure receives: the whole stack configuration, every namespace.
describe("settingsFromConfig", () => {
    it("returns the mlplatform settings and ignores other namespaces and empty values", () => {
        expect(settingsFromConfig({
            "mlplatform:dataDir": "state", "mlplatform:principal": "userAccount:alice", "mlplatform:encryptionKey": KEY,
            "mlplatform:endpoint": "", "aws:region": "eu-west-1", "myproject:endpiont": "x", "plain": "y",
        })).toEqual({ dataDir: "state", principal: "userAccount:alice", encryptionKey: KEY });
        expect(settingsFromConfig({})).toEqual({});
        expect(settingsFromConfig({ "mlplatform:endpoint": "https://cp.example.net", "mlplatform:token": "t" })).toEqual({ endpoint: "https://cp.example.net", token: "t" });
    });

    it("reports an unknown key with the setting it most likely meant and the known keys", () => {
        const known = "Known keys: mlplatform:backend, mlplatform:dataDir, mlplatform:principal, mlplatform:encryptionKey, mlplatform:endpoint, mlplatform:token, "
            + "mlplatform:iamToken, mlplatform:serviceAccountKeyFile, mlplatform:dataSphereEndpoint, mlplatform:operationEndpoint, mlplatform:organizationManagerEndpoint, "
            + "mlplatform:billingEndpoint, mlplatform:iamEndpoint, mlplatform:tlsRootCertFile, mlplatform:maxConcurrentCalls.";
        expect(expectError(() => settingsFromConfig({ "mlplatform:endpiont": "http://cp:8470" }))).toMatchObject({
            code: "INVALID_ARGUMENT",
            message: `unknown config key mlplatform:endpiont. Did you mean mlplatform:endpoint? ${known}`,
            failures: [{ property: "mlplatform:endpiont" }],
        });
        for (const [typed, meant] of [["datadir", "dataDir"], ["data_dir", "dataDir"], ["principle", "principal"], ["tokne", "token"], ["MLPLATFORM_ENCRYPTION_KEY", "encryptionKey"], ["encryption_key", "encryptionKey"]]) {
            expect(expectError(() => settingsFromConfig({ [`mlplatform:${typed}`]: "v" })).message).toContain(`Did you mean mlplatform:${meant}?`);
        }
        expect(expectError(() => settingsFromConfig({ "mlplatform:region": "v" })).message).toBe(`unknown config key mlplatform:region. ${known}`);
    });

    it("names a setting an earlier version read, and what replaced it, in stack config and (for datasphere) the environment", () => {
        const replaced = /is no longer read: .*new ml\.Community\("<name>", \{ \.\.\., billingAccount: ml\.BillingAccount\.get\("<name>", "<billing account id>"\) \}\)/;
        const e = expectError(() => settingsFromConfig({ "mlplatform:communityBillingAccountId": "dn2billing" }));
        expect(e).toMatchObject({ code: "INVALID_ARGUMENT", failures: [{ property: "mlplatform:communityBillingAccountId" }] });
        expect(e.message).toMatch(/^config key mlplatform:communityBillingAccountId is no longer read: remove it \(pulumi config rm mlplatform:communityBillingAccountId\)\. Each community now takes its own/);
        expect(e.message).toMatch(replaced);
        const env = { MLPLATFORM_COMMUNITY_BILLING_ACCOUNT_ID: "dn2billing", YC_TOKEN: "t1.token" };
        expect(expectError(() => resolveConfig({ backend: "datasphere" }, env, "/p")).message).toMatch(/^environment variable MLPLATFORM_COMMUNITY_BILLING_ACCOUNT_ID is no longer read: unset it\. Each community/);
        // It never meant anything to the other backends: left in a shell, it does not fail them.
        expect(resolveConfig({}, env, "/p").mode).toBe("embedded");
    });

    it("lists every problem at once, unknown keys and invalid values, and never shows a secret", () => {
        const e = expectError(() => settingsFromConfig({
            "mlplatform:endpiont": "x", "mlplatform:principal": "alice", "mlplatform:endpoint": "ftp://cp",
            "mlplatform:token": "tok en-secret", "mlplatform:encryptionKey": "key-secret", "mlplatform:dataDir": { nested: true },
        }));
        expect(e.code).toBe("INVALID_ARGUMENT");
        expect(e.message.split("\n")[0]).toBe("6 problems in the mlplatform configuration:");
        expect(e.failures.map((f) => f.property).sort()).toEqual(
            ["mlplatform:dataDir", "mlplatform:encryptionKey", "mlplatform:endpiont", "mlplatform:endpoint", "mlplatform:principal", "mlplatform:token"]);
        expect(e.message).toContain('- provider setting dataDir (mlplatform:dataDir) must be a string, got {"nested":true}. Set it with: pulumi config set mlplatform:dataDir <value>');
        expect(e.message).toContain('- provider setting principal (mlplatform:principal or MLPLATFORM_PRINCIPAL) must be a subject like userAccount:alice, got "alice".');
        expect(e.message).toContain('must be an http(s) URL like http://platform.internal:8470, got "ftp://cp"');
        expect(e.message).toContain("encryptionKey (mlplatform:encryptionKey or MLPLATFORM_ENCRYPTION_KEY) must be 32 bytes encoded in base64 (generate one with: openssl rand -base64 32), got [secret].");
        expect(JSON.stringify(e)).not.toMatch(/tok en-secret|key-secret/);
        expect(expectError(() => settingsFromConfig({ "mlplatform:token": ["a", "b"] })).message).toMatch(/token \(mlplatform:token\) must be a string, got \[secret\]/);
    });

    it("leaves what depends on the environment to resolveConfig: a token may come from MLPLATFORM_TOKEN", () => {
        const settings = settingsFromConfig({ "mlplatform:endpoint": "http://cp:8470" });
        expect(resolveConfig(settings, { MLPLATFORM_TOKEN: "t" }, "/p")).toEqual({ mode: "http", endpoint: "http://cp:8470", token: "t" });
        expect(expectError(() => resolveConfig(settings, {}, "/p")).message).toMatch(/^provider setting token is required with endpoint http:\/\/cp:8470/);
    });
});
