// Who the DataSphere client is to Yandex Cloud, on the wire against the fake over TLS: a service account's
// authorized key (as `yc iam key create` writes it) exchanged at IamTokenService.Create for a JWT the fake verifies
// with the public half of a key pair generated here; an OAuth token exchanged there too; a VM's metadata service
// over HTTP. Each path's token is what the DataSphere calls carry (the fake refuses anything else), is renewed
// before it expires and once more when refused, and each path's failure names the credential and never shows it.
import * as crypto from "crypto";
import * as fs from "fs";
import { createRequire } from "module";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DataSphereConfig, resolveConfig } from "../../provider/client/config";
import { dataSphereClient } from "../../provider/client/datasphere";
import { PlatformError } from "../../provider/model/errors";
import { authorizedKey, configFor, FAST, rejection } from "../support/datasphere-client";
import { DataSphereFake, IAM_AUDIENCE, MetadataServiceFake } from "../support/datasphere-fake";

const sdkRequire = createRequire(require.resolve("@yandex-cloud/nodejs-sdk/dist/session"));

let fake: DataSphereFake;
let metadata: MetadataServiceFake;
let org: string;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ds-auth-"));

beforeAll(async () => {
    fake = await DataSphereFake.start();
    metadata = await MetadataServiceFake.start(fake);
    org = fake.addOrganization("acme");
});
afterAll(async () => {
    await metadata.stop();
    await fake.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
});

/** The configuration a stack with these settings and this environment resolves to, every endpoint on the fake. */
function resolved(values: Record<string, string>, env: Record<string, string> = {}): DataSphereConfig {
    const endpoints = configFor(fake).endpoints;
    const config = resolveConfig({
        backend: "datasphere", dataSphereEndpoint: endpoints.datasphere, operationEndpoint: endpoints.operation, organizationManagerEndpoint: endpoints.organizationManager,
        billingEndpoint: endpoints.billing, iamEndpoint: endpoints.iam, tlsRootCertFile: path.resolve(__dirname, "../support/tls/localhost.crt"), ...values,
    }, env, tmp);
    if (config.mode !== "datasphere") throw new Error("not datasphere");
    return config;
}

/** A key file in the program's folder, as yc writes it. */
function keyFile(json: string): string {
    const file = path.join(tmp, `key-${crypto.randomBytes(4).toString("hex")}.json`);
    fs.writeFileSync(file, json);
    return file;
}

const since = (before: number, method?: string) => fake.requests.slice(before).filter((r) => !method || r.method === method);
const decodeJwt = (jwt: string) => jwt.split(".").slice(0, 2).map((part) => JSON.parse(Buffer.from(part, "base64url").toString()));
const bearer = (token: string) => `Bearer ${token}`;

/** Nothing of these secrets in the error, its JSON, or any line of a PEM key. */
function expectNoSecret(e: PlatformError, secrets: string[]): void {
    const text = `${e.message}\n${JSON.stringify(e)}`;
    for (const secret of secrets) {
        const pieces = secret.includes("PRIVATE KEY") ? secret.split("\n").filter((l) => l.length >= 16) : [secret];
        for (const piece of pieces) expect(text).not.toContain(piece);
    }
}

describe("a service account's authorized key", () => {
    it("is exchanged at IamTokenService.Create for a PS256 JWT the fake verifies, and every DataSphere call carries the IAM token issued", async () => {
        const key = authorizedKey(fake);
        const config = resolved({ serviceAccountKeyFile: path.basename(keyFile(key.json)) });
        const client = dataSphereClient(config, FAST);
        const before = fake.requests.length;
        // Five calls at once before any token exists: one exchange serves them all.
        await Promise.all([client.get("Organization", org), ...Array.from({ length: 4 }, () => client.list({ kind: "Community", parentId: org }))]);
        const exchanges = since(before, "IamTokenService.Create");
        expect(exchanges).toHaveLength(1);
        // IAM takes no bearer token: the JWT is the credential.
        expect(exchanges[0].metadata.authorization).toBeUndefined();
        const [header, claims] = decodeJwt(exchanges[0].request.jwt);
        expect(header).toEqual({ typ: "JWT", alg: "PS256", kid: key.keyId });
        expect(claims).toMatchObject({ iss: key.serviceAccountId, aud: IAM_AUDIENCE });
        expect(claims.exp - claims.iat).toBe(3600);
        expect(Math.abs(claims.iat - Date.now() / 1000)).toBeLessThan(120);
        // The signature is RSASSA-PSS with the key's private half: the public half verifies it here too.
        const [h, p, sig] = exchanges[0].request.jwt.split(".");
        const publicKey = crypto.createPublicKey(crypto.createPrivateKey(key.privateKey));
        expect(crypto.verify("sha256", Buffer.from(`${h}.${p}`), { key: publicKey, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, Buffer.from(sig, "base64url"))).toBe(true);
        // And so does another implementation: jsonwebtoken, which the SDK signs with.
        expect(sdkRequire("jsonwebtoken").verify(exchanges[0].request.jwt, publicKey.export({ type: "spki", format: "pem" }), { algorithms: ["PS256"], audience: IAM_AUDIENCE, issuer: key.serviceAccountId }))
            .toMatchObject({ iss: key.serviceAccountId });

        const issued = [...fake.issued].filter(([, t]) => t.subject === key.serviceAccountId).map(([token]) => token);
        expect(issued).toHaveLength(1);
        const calls = since(before).filter((r) => r.method !== "IamTokenService.Create");
        expect(calls.map((r) => r.method).sort()).toEqual(["CommunityService.List", "CommunityService.List", "CommunityService.List", "CommunityService.List", "OrganizationService.Get"]);
        expect(calls.every((r) => r.metadata.authorization === bearer(issued[0]))).toBe(true);
        // The token is reused: a later call exchanges nothing.
        await client.get("Organization", org);
        expect(since(before, "IamTokenService.Create")).toHaveLength(1);
    });

    it("gets a new token before the one it holds expires, and a new one once when the platform refuses it", async () => {
        const key = authorizedKey(fake);
        const client = dataSphereClient({ ...configFor(fake), credentials: { kind: "serviceAccountKey", serviceAccountId: key.serviceAccountId, accessKeyId: key.keyId, privateKey: key.privateKey } }, FAST);
        fake.tokenLifetimeMs = 800;
        try {
            const before = fake.requests.length;
            await client.get("Organization", org);
            // Past the token's life: the fake would refuse it. The client asks IAM first, so the call is answered at once.
            await new Promise((resolve) => setTimeout(resolve, 900));
            await client.get("Organization", org);
            const gets = since(before, "OrganizationService.Get");
            expect(since(before, "IamTokenService.Create")).toHaveLength(2);
            expect(gets).toHaveLength(2);
            expect(gets[0].metadata.authorization).not.toBe(gets[1].metadata.authorization);
        } finally {
            fake.tokenLifetimeMs = 12 * 3600_000;
        }
        // Revoked (or expired early): refused once, then a new token and the same call again.
        const before = fake.requests.length;
        await client.get("Organization", org);
        const held = since(before, "OrganizationService.Get")[0].metadata.authorization.slice("Bearer ".length);
        fake.revoked.add(held);
        await client.get("Organization", org);
        const gets = since(before, "OrganizationService.Get");
        expect(gets.map((r) => r.metadata.authorization === bearer(held))).toEqual([true, true, false]);
        expect(since(before, "IamTokenService.Create")).toHaveLength(1);
    });

    it("names the key and the account when IAM refuses the key, and when the platform refuses every token it issues, never showing the key or a token", async () => {
        // A key pair IAM does not know under this key id: the JWT's signature does not verify.
        const key = authorizedKey(fake);
        const other = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
        const file = keyFile(JSON.stringify({ ...JSON.parse(key.json), private_key: other }));
        const wrong = await rejection(dataSphereClient(resolved({ serviceAccountKeyFile: file }), FAST).get("Organization", org));
        expect(wrong.code).toBe("UNAUTHENTICATED");
        expect(wrong.message).toMatch(new RegExp(`^Yandex Cloud IAM at ${fake.endpoint} refused to issue an IAM token for service account ${key.serviceAccountId} \\(authorized key ${key.keyId}, `
            + `from mlplatform:serviceAccountKeyFile in stack config: key file ${file.replace(/[/.]/g, "\\$&")}\\): UNAUTHENTICATED: JWT signature is invalid for key ${key.keyId} \\(request id fake-req-\\d+\\)\\. `
            + `Check that the key still exists \\(yc iam key list --service-account-id ${key.serviceAccountId}\\)`));
        expectNoSecret(wrong, [other, key.privateKey]);

        // A key IAM has never heard of (deleted): the same, with IAM's words.
        const deleted = authorizedKey(fake);
        fake.iamKeys.delete(deleted.keyId);
        const gone = await rejection(dataSphereClient(resolved({}, { YC_SERVICE_ACCOUNT_KEY_FILE: keyFile(deleted.json) }), FAST).get("Organization", org));
        expect(gone.message).toMatch(new RegExp(`from YC_SERVICE_ACCOUNT_KEY_FILE in the environment: key file .*\\): UNAUTHENTICATED: JWT key ${deleted.keyId} not found`));
        expectNoSecret(gone, [deleted.privateKey]);

        // IAM issues tokens, DataSphere refuses them (a deleted account): one renewal, then the error names the account.
        const refused = authorizedKey(fake);
        const client = dataSphereClient(resolved({ serviceAccountKeyFile: keyFile(refused.json) }), FAST);
        const before = fake.requests.length;
        fake.faults.refuse.set("OrganizationService.Get", { code: 16, message: "the IAM token is invalid or expired" });
        let e: PlatformError;
        try {
            e = await rejection(client.get("Organization", org));
        } finally {
            fake.faults.refuse.delete("OrganizationService.Get");
        }
        expect(since(before, "IamTokenService.Create")).toHaveLength(2);
        expect(since(before, "OrganizationService.Get")).toHaveLength(2);
        expect(e.code).toBe("UNAUTHENTICATED");
        expect(e.message).toMatch(new RegExp(`^Organization "${org}": DataSphere could not read it: UNAUTHENTICATED: the IAM token is invalid or expired \\(OrganizationService.Get, request id fake-req-\\d+, 2 attempts\\)\\. `
            + `Yandex Cloud refused the IAM token issued for service account ${refused.serviceAccountId} \\(authorized key ${refused.keyId}, from mlplatform:serviceAccountKeyFile in stack config: key file .*\\), also after a new one was issued`));
        const tokens = since(before, "OrganizationService.Get").map((r) => r.metadata.authorization.slice(7));
        const jwts = since(before, "IamTokenService.Create").map((r) => r.request.jwt);
        expectNoSecret(e, [refused.privateKey, ...tokens, ...jwts]);
    });

    it("says the IAM endpoint cannot be reached, naming the setting", async () => {
        const key = authorizedKey(fake);
        const config = { ...resolved({ serviceAccountKeyFile: keyFile(key.json) }), endpoints: { ...configFor(fake).endpoints, iam: "localhost:1" } };
        const e = await rejection(dataSphereClient(config, { ...FAST, attempts: 2 }).get("Organization", org));
        expect(e.code).toBe("UNAVAILABLE");
        expect(e.message).toMatch(/^Yandex Cloud IAM at localhost:1 refused to issue an IAM token for service account .*: UNAVAILABLE: .*\(2 attempts\)\. It could not be reached: check the network and mlplatform:iamEndpoint \(MLPLATFORM_IAM_ENDPOINT\)\.$/);
        expectNoSecret(e, [key.privateKey]);
    });
});

describe("an OAuth token", () => {
    it("is exchanged at IamTokenService.Create once for many calls, and the calls carry the IAM token", async () => {
        const oauth = `y0_${crypto.randomBytes(16).toString("hex")}`;
        fake.oauthTokens.set(oauth, "ajeoauthuser");
        const client = dataSphereClient(resolved({}, { YC_TOKEN: oauth }), FAST);
        const before = fake.requests.length;
        await client.get("Organization", org);
        await client.list({ kind: "Community", parentId: org });
        const exchanges = since(before, "IamTokenService.Create");
        expect(exchanges.map((r) => r.request.yandexPassportOauthToken)).toEqual([oauth]);
        expect(exchanges[0].request.jwt).toBeFalsy();
        const issued = [...fake.issued].find(([, t]) => t.subject === "ajeoauthuser")![0];
        const calls = since(before).filter((r) => r.method !== "IamTokenService.Create");
        expect(calls).toHaveLength(2);
        expect(calls.every((r) => r.metadata.authorization === bearer(issued))).toBe(true);
        // The OAuth token itself never reaches DataSphere.
        expect(JSON.stringify(calls)).not.toContain(oauth);
    });

    it("names where a revoked one was set, never showing it, even when IAM echoes it", async () => {
        const revoked = `y0_${crypto.randomBytes(16).toString("hex")}`;
        const e = await rejection(dataSphereClient(resolved({ iamToken: revoked }), FAST).get("Organization", org));
        expect(e.code).toBe("UNAUTHENTICATED");
        expect(e.message).toMatch(new RegExp(`^Yandex Cloud IAM at ${fake.endpoint} refused to exchange the OAuth token from mlplatform:iamToken in stack config for an IAM token: `
            + "UNAUTHENTICATED: The OAuth token is invalid or expired \\(request id fake-req-\\d+\\)\\. It may be revoked or expired: get a new one, or better an IAM token"));
        expectNoSecret(e, [revoked]);
        const echoed = `y0_${crypto.randomBytes(16).toString("hex")}`;
        fake.faults.refuse.set("IamTokenService.Create", { code: 3, message: `yandex_passport_oauth_token ${echoed} is malformed` });
        try {
            const loud = await rejection(dataSphereClient(resolved({}, { YC_TOKEN: echoed }), FAST).get("Organization", org));
            expect(loud.message).toContain("yandex_passport_oauth_token [secret] is malformed");
            expectNoSecret(loud, [echoed]);
        } finally {
            fake.faults.refuse.delete("IamTokenService.Create");
        }
    });
});

describe("the VM metadata service", () => {
    const vm = (tuning = {}) => dataSphereClient({ ...configFor(fake), credentials: { kind: "metadata" }, metadataUrl: metadata.url }, { ...FAST, ...tuning });

    it("gives the token the calls carry, asked with Metadata-Flavor: Google, and a new one before it expires", async () => {
        metadata.expiresInS = 1;
        const asked = metadata.requests.length;
        const client = vm({ attempts: 4 });
        const before = fake.requests.length;
        await client.get("Organization", org);
        expect(metadata.requests.slice(asked).map((h) => h["metadata-flavor"])).toEqual(["Google"]);
        // The SDK would ask once more after 30 s and never again; here a token is renewed at 3/4 of its life.
        await new Promise((resolve) => setTimeout(resolve, 1_100));
        await client.get("Organization", org);
        metadata.expiresInS = 3600;
        const gets = since(before, "OrganizationService.Get");
        const handed = metadata.tokens.slice(-2);
        expect(gets.map((r) => r.metadata.authorization)).toEqual(handed.map(bearer));
        expect(handed[0]).not.toBe(handed[1]);
    });

    it("says what to set when it answers with an error, tries a 5xx again, and never shows a token", async () => {
        metadata.status = 404;
        try {
            const asked = metadata.requests.length;
            const e = await rejection(vm({ attempts: 3 }).get("Organization", org));
            expect(metadata.requests.length - asked).toBe(1);
            expect(e.code).toBe("UNAUTHENTICATED");
            expect(e.message).toBe(`No Yandex Cloud credentials are configured and the VM metadata service (${metadata.url}) answered HTTP 404 (no service account is attached to this VM?), `
                + "so the provider cannot act as anyone. Set mlplatform:iamToken (or YC_TOKEN) to an IAM token (`yc iam create-token`), or mlplatform:serviceAccountKeyFile "
                + "(or YC_SERVICE_ACCOUNT_KEY_FILE) to a service account's authorized key; or run on a Yandex Cloud VM that has a service account.");
            metadata.status = 503;
            const again = metadata.requests.length;
            expect((await rejection(vm({ attempts: 3, retryBaseMs: 2 }).get("Organization", org))).message).toMatch(/answered HTTP 503/);
            expect(metadata.requests.length - again).toBe(3);
        } finally {
            metadata.status = 200;
        }
        // A token the platform refuses: one new token, then the advice names the metadata service.
        const before = fake.requests.length;
        fake.faults.refuse.set("OrganizationService.Get", { code: 16, message: "the IAM token is invalid or expired" });
        let e: PlatformError;
        try {
            e = await rejection(vm({ attempts: 2 }).get("Organization", org));
        } finally {
            fake.faults.refuse.delete("OrganizationService.Get");
        }
        expect(e.message).toMatch(/Yandex Cloud refused the IAM token of this VM's service account \(from the metadata service at http:\/\/127\.0\.0\.1:\d+\/computeMetadata\/v1\/instance\/service-accounts\/default\/token\), also after a new one was fetched/);
        const sent = since(before, "OrganizationService.Get").map((r) => r.metadata.authorization.slice(7));
        expect(sent).toHaveLength(2);
        expectNoSecret(e, sent);
    });
});

describe("a static IAM token", () => {
    it("is sent as it is, never renewed: a refusal names where it was set and says it lives 12 hours", async () => {
        const token = `t1.${crypto.randomBytes(16).toString("hex")}`;
        const before = fake.requests.length;
        const e = await rejection(dataSphereClient(resolved({}, { YC_TOKEN: token }), FAST).get("Organization", org));
        expect(since(before).map((r) => r.method)).toEqual(["OrganizationService.Get"]);
        expect(e.message).toMatch(/Yandex Cloud refused the IAM token from YC_TOKEN in the environment: an IAM token lives at most 12 hours\. Get a new one with `yc iam create-token`/);
        expectNoSecret(e, [token]);
    });
});
