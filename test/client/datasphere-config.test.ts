// The datasphere backend's settings: chosen with mlplatform:backend, credentials where `yc` and the Terraform
// provider read them, endpoints and a root certificate for a private installation; secrets never shown; and the
// Yandex Cloud SDK loaded only in this mode.
import { spawnSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, describe, expect, it } from "vitest";
import { DATASPHERE_ENDPOINTS, resolveConfig, settingsFromConfig } from "../../provider/client/config";
import { expectError } from "../controlplane/support";

const REPO = path.resolve(__dirname, "../..");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ds-config-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

// A real RSA key: the configuration checks that private_key is one, as the exchange needs it to sign.
const PRIVATE_KEY = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const KEY_BODY = PRIVATE_KEY.split("\n")[1];
const KEY_JSON = JSON.stringify({ id: "ajekeyid", service_account_id: "ajesaid", created_at: "2026-01-01T00:00:00Z", key_algorithm: "RSA_2048", public_key: "pub", private_key: `PLEASE DO NOT REMOVE THIS LINE! Yandex.Cloud SA Key ID <ajekeyid>\n${PRIVATE_KEY}` });
const keyFile = path.join(tmp, "key.json");
fs.writeFileSync(keyFile, KEY_JSON);

describe("the datasphere backend's configuration", () => {
    it("is chosen by mlplatform:backend or MLPLATFORM_BACKEND; embedded stays the default and an endpoint still means server", () => {
        expect(resolveConfig({}, {}, "/p").mode).toBe("embedded");
        expect(resolveConfig({ endpoint: "http://cp:8470", token: "t" }, {}, "/p").mode).toBe("http");
        expect(resolveConfig({ backend: "server", endpoint: "http://cp:8470", token: "t" }, {}, "/p").mode).toBe("http");
        expect(resolveConfig({}, { MLPLATFORM_BACKEND: "datasphere", YC_TOKEN: "t1.abc" }, "/p")).toEqual({
            mode: "datasphere", credentials: { kind: "iamToken", token: "t1.abc", from: "YC_TOKEN in the environment" }, endpoints: DATASPHERE_ENDPOINTS,
        });
        expect(resolveConfig({ backend: "embedded" }, { MLPLATFORM_BACKEND: "datasphere" }, "/p").mode).toBe("embedded");
    });

    it("names the mistake and the fix: an unknown backend, an endpoint with another backend, server without an endpoint", () => {
        expect(expectError(() => resolveConfig({ backend: "cloud" }, {}, "/p")).message)
            .toMatch(/^provider setting backend \(mlplatform:backend or MLPLATFORM_BACKEND\) must be one of embedded, server, datasphere, got "cloud"\./);
        expect(expectError(() => resolveConfig({ backend: "datasphere", endpoint: "http://cp:8470", token: "t" }, {}, "/p")).message)
            .toBe("provider setting endpoint (http://cp:8470) is for the served control plane, but backend is datasphere. Remove mlplatform:endpoint (MLPLATFORM_ENDPOINT), or set mlplatform:backend to server.");
        expect(expectError(() => resolveConfig({ backend: "server" }, {}, "/p")).message).toMatch(/^provider setting endpoint is required with backend server\./);
        expect(expectError(() => settingsFromConfig({ "mlplatform:YC_TOKEN": "t1.x" })).message).toMatch(/Did you mean mlplatform:iamToken\?/);
    });

    it("takes YC_TOKEN as an IAM token when it starts with t1. and as an OAuth token otherwise, as the Terraform provider does", () => {
        expect(resolveConfig({ backend: "datasphere" }, { YC_TOKEN: "y0_AgAAAA" }, "/p")).toMatchObject({ credentials: { kind: "oauthToken", token: "y0_AgAAAA" } });
        expect(resolveConfig({ backend: "datasphere", iamToken: "t1.stack" }, { YC_TOKEN: "t1.env" }, "/p"))
            .toMatchObject({ credentials: { kind: "iamToken", token: "t1.stack", from: "mlplatform:iamToken in stack config" } });
    });

    it("maps an authorized key (file or inline JSON) to the SDK's names, and uses the metadata service when nothing is set", () => {
        const mapped = { kind: "serviceAccountKey", accessKeyId: "ajekeyid", serviceAccountId: "ajesaid", privateKey: JSON.parse(KEY_JSON).private_key };
        expect(resolveConfig({ backend: "datasphere" }, { YC_SERVICE_ACCOUNT_KEY_FILE: "key.json" }, tmp).mode).toBe("datasphere");
        expect(resolveConfig({ backend: "datasphere" }, { YC_SERVICE_ACCOUNT_KEY_FILE: "key.json" }, tmp))
            .toMatchObject({ credentials: { ...mapped, from: `YC_SERVICE_ACCOUNT_KEY_FILE in the environment: key file ${keyFile}` } });
        expect(resolveConfig({ backend: "datasphere", serviceAccountKeyFile: KEY_JSON }, {}, "/p"))
            .toMatchObject({ credentials: { ...mapped, from: "mlplatform:serviceAccountKeyFile in stack config: an authorized key given inline" } });
        // Stack config wins over the shell: a key file in the stack beats a YC_TOKEN left in the environment.
        expect(resolveConfig({ backend: "datasphere", serviceAccountKeyFile: keyFile }, { YC_TOKEN: "t1.env" }, "/p")).toMatchObject({ credentials: mapped });
        expect(resolveConfig({ backend: "datasphere" }, {}, "/p")).toMatchObject({ credentials: { kind: "metadata" } });
    });

    it("refuses a bad key, two credentials in one place, a bad token, endpoint or certificate, never showing a secret", () => {
        const bad = (values: Record<string, string>, env: Record<string, string>) => expectError(() => resolveConfig({ backend: "datasphere", ...values }, env, tmp));
        const missing = bad({}, { YC_SERVICE_ACCOUNT_KEY_FILE: "nope.json" });
        expect(missing.message).toMatch(new RegExp(`names ${path.join(tmp, "nope.json").replace(/[/.]/g, "\\$&")}, which cannot be read \\(ENOENT\\)\\. .*yc iam key create`));
        const partial = bad({ serviceAccountKeyFile: JSON.stringify({ id: "x", private_key: PRIVATE_KEY }) }, {});
        expect(partial.message).toMatch(/the key given inline has no service_account_id \(contents not shown\)/);
        const notJson = bad({ serviceAccountKeyFile: "{ private_key: oops" }, {});
        expect(notJson.message).toMatch(/is not JSON \(contents not shown\)/);
        // A private_key that is no key (cut short), or a key of another algorithm: PS256 needs RSA.
        const cut = path.join(tmp, "cut.json");
        fs.writeFileSync(cut, JSON.stringify({ ...JSON.parse(KEY_JSON), private_key: PRIVATE_KEY.slice(0, 200) }));
        const notAKey = bad({ serviceAccountKeyFile: cut }, {});
        expect(notAKey.message).toBe(`provider setting serviceAccountKeyFile (mlplatform:serviceAccountKeyFile or YC_SERVICE_ACCOUNT_KEY_FILE): the key file ${cut} has a private_key that is no PEM private key `
            + "(contents not shown); it must be the RSA key yc wrote with the key id \"ajekeyid\". Create one with: yc iam key create --service-account-name <name> --output key.json");
        const ec = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
        const notRsa = bad({ serviceAccountKeyFile: JSON.stringify({ ...JSON.parse(KEY_JSON), private_key: ec }) }, {});
        expect(notRsa.message).toMatch(/the key given inline has a private_key that is an ec key, not RSA \(contents not shown\)/);
        const both = bad({}, { YC_TOKEN: "t1.secret-token", YC_SERVICE_ACCOUNT_KEY_FILE: keyFile });
        expect(both.message).toMatch(/iamToken and serviceAccountKeyFile are both set in the environment/);
        const token = bad({ iamToken: "t1.with space" }, {});
        expect(token.message).toMatch(/iamToken .* must be printable ASCII .*, got \[secret\]/);
        expect(bad({ dataSphereEndpoint: "https://datasphere.api.cloud.yandex.net" }, {}).message)
            .toMatch(/dataSphereEndpoint \(mlplatform:dataSphereEndpoint or MLPLATFORM_DATASPHERE_ENDPOINT\) must be host:port without a scheme, e\.g\. datasphere\.api\.cloud\.yandex\.net:443, got "https:/);
        fs.writeFileSync(path.join(tmp, "not-a-cert.pem"), "hello");
        expect(bad({ tlsRootCertFile: "not-a-cert.pem" }, {}).message).toMatch(/holds no PEM certificate/);
        for (const e of [missing, partial, notJson, notAKey, notRsa, both, token]) {
            expect(JSON.stringify(e)).not.toMatch(/PRIVATE KEY|MIIE|secret-token|with space|oops/);
            expect(JSON.stringify(e)).not.toContain(KEY_BODY);
            expect(JSON.stringify(e)).not.toContain(ec.split("\n")[1]);
        }
    });

    it("reads endpoints and the root certificate for a private installation or a test fake", () => {
        const cert = path.join(REPO, "test/support/tls/localhost.crt");
        const c = resolveConfig({
            backend: "datasphere", iamToken: "t1.x", dataSphereEndpoint: "localhost:7001", operationEndpoint: "localhost:7002",
            organizationManagerEndpoint: "[::1]:7003", billingEndpoint: "billing.internal:443", iamEndpoint: "iam.internal:8443", tlsRootCertFile: cert,
        }, {}, "/p");
        expect(c).toMatchObject({
            endpoints: { datasphere: "localhost:7001", operation: "localhost:7002", organizationManager: "[::1]:7003", billing: "billing.internal:443", iam: "iam.internal:8443" },
            tlsRootCerts: fs.readFileSync(cert, "utf8"),
        });
    });

    it("leaves YC_TOKEN and a key file of another tool alone when the backend is not datasphere", () => {
        expect(resolveConfig({}, { YC_TOKEN: "not\na token", YC_SERVICE_ACCOUNT_KEY_FILE: "/missing" }, "/p").mode).toBe("embedded");
    });
});

describe("loading the Yandex Cloud SDK", () => {
    // A fresh process each: what the host loads for one backend, seen in require.cache.
    const loaded = (backend: string) => {
        const script = `
            const host = require("./provider/dynamic/host");
            host.configure({ get: () => undefined, rawConfig: ${JSON.stringify({ "mlplatform:backend": backend, "mlplatform:iamToken": "t1.x", "mlplatform:dataDir": path.join(tmp, "data") })} });
            host.openClient();
            const sdk = Object.keys(require.cache).filter((f) => f.includes("@yandex-cloud"));
            process.stdout.write(JSON.stringify(sdk.length));
        `;
        const run = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], { cwd: REPO, encoding: "utf8" });
        if (run.status !== 0) throw new Error(run.stderr);
        return Number(run.stdout);
    };

    it("is never loaded by the embedded backend, and is loaded by the datasphere one", () => {
        expect(loaded("embedded")).toBe(0);
        expect(loaded("datasphere")).toBeGreaterThan(0);
    });
});
