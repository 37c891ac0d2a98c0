// A service account's authorized key as users set it (mlplatform:serviceAccountKeyFile naming the file yc wrote),
// through Pulumi's own dynamic-provider host against the DataSphere fake: the host exchanges a JWT signed with the
// key at the fake's IamTokenService (mlplatform:iamEndpoint) and creates with the IAM token issued; neither the key
// nor a token reaches the resource's outputs or the host's output; a key IAM refuses and a file that is no key each
// fail with a message that names the file and shows neither.
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authorizedKey, hostConfigFor } from "../support/datasphere-client";
import { DataSphereFake } from "../support/datasphere-fake";
import { DynamicHost } from "../support/dynamic-host";

const urn = (kind: string, name: string) => `urn:pulumi:dev::auth::pulumi-nodejs:dynamic/mlplatform:${kind}::${name}`;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ds-host-auth-"));
const hosts: DynamicHost[] = [];
let fake: DataSphereFake;
let orgId: string;

beforeAll(async () => {
    fake = await DataSphereFake.start();
    orgId = fake.addOrganization("acme", "Acme");
}, 30_000);
afterAll(async () => {
    await Promise.all(hosts.map((host) => host.stop()));
    await fake?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
});

/** A host configured with this key file instead of a token. */
async function hostWithKeyFile(contents: string): Promise<{ host: DynamicHost; file: string }> {
    const file = path.join(tmp, `key-${crypto.randomBytes(4).toString("hex")}.json`);
    fs.writeFileSync(file, contents);
    const { "mlplatform:iamToken": _token, ...config } = hostConfigFor(fake);
    const host = await DynamicHost.start({ ...config, "mlplatform:serviceAccountKeyFile": file });
    hosts.push(host);
    return { host, file };
}

const community = (name: string) => ({ __owner: urn("Community", name), organizationId: orgId, organization: "acme", zone: "ru-central1-a" });
const pemLines = (pem: string) => pem.split("\n").filter((l) => l.length >= 16);

describe("a service account's key file, through the dynamic-provider host", () => {
    it("creates with the IAM token its JWT was exchanged for, and keeps the key and the token out of outputs and logs", async () => {
        const key = authorizedKey(fake);
        const { host } = await hostWithKeyFile(key.json);
        const before = fake.requests.length;
        const created = await host.up("Community", community("keyed"));
        const sent = fake.requests.slice(before);
        const exchanges = sent.filter((r) => r.method === "IamTokenService.Create");
        expect(exchanges).toHaveLength(1);
        expect(JSON.parse(Buffer.from(exchanges[0].request.jwt.split(".")[0], "base64url").toString()).kid).toBe(key.keyId);
        const token = [...fake.issued].find(([, t]) => t.subject === key.serviceAccountId)![0];
        const create = sent.find((r) => r.method === "CommunityService.Create")!;
        expect(create.metadata.authorization).toBe(`Bearer ${token}`);
        expect(sent.filter((r) => r.method !== "IamTokenService.Create").every((r) => r.metadata.authorization === `Bearer ${token}`)).toBe(true);
        expect(fake.communities.get(created.id)?.name).toBe(create.request.name);
        const shown = JSON.stringify(created) + host.stderr.join("");
        for (const secret of [token, exchanges[0].request.jwt, ...pemLines(key.privateKey)]) expect(shown).not.toContain(secret);
    });

    it("fails naming the file when IAM refuses the key, or the file holds no key, never showing the key", async () => {
        const key = authorizedKey(fake);
        const other = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
        const wrong = await hostWithKeyFile(JSON.stringify({ ...JSON.parse(key.json), private_key: other }));
        const refused = await wrong.host.up("Community", community("refused")).then(() => undefined, (e: Error) => e);
        expect(refused?.message).toMatch(new RegExp(`refused to issue an IAM token for service account ${key.serviceAccountId} \\(authorized key ${key.keyId}, `
            + `from mlplatform:serviceAccountKeyFile in stack config: key file ${wrong.file.replace(/[/.]/g, "\\$&")}\\): UNAUTHENTICATED: JWT signature is invalid`));
        // A file cut short: refused in check, which preview runs, before anything is sent.
        const cut = await hostWithKeyFile(key.json.slice(0, 300));
        const before = fake.requests.length;
        const checked = await cut.host.check("Community", {}, community("cut")).then((r) => JSON.stringify(r.failures), (e: Error) => e.message);
        expect(checked).toContain(`the key file ${cut.file} is not JSON (contents not shown)`);
        expect(fake.requests.length).toBe(before);
        const shown = `${refused?.message}${checked}${wrong.host.stderr.join("")}${cut.host.stderr.join("")}`;
        for (const line of [...pemLines(other), ...pemLines(key.privateKey)]) expect(shown).not.toContain(line);
    });
});
