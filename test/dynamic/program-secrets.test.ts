// A value the program passes as a secret stays secret whatever the field: sealed in the database like the kind's
// own secret fields, never in an error; refused in preview where the platform cannot keep it secret (a name).
// Through the real path: the SDK's dynamic-provider host over gRPC, a real database file.
import * as fs from "fs";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeAll, embeddedClient } from "../../provider/client/embedded";
import { DynamicHost, hostOnOwnDatabase, type HostOnOwnDatabase } from "../support/dynamic-host";

let host: DynamicHost;
let dataDir: string;
let ownDatabase: HostOnOwnDatabase | undefined;

beforeAll(async () => {
    ownDatabase = await hostOnOwnDatabase("psecret");
    ({ host, dataDir } = ownDatabase);
}, 30_000);
afterAll(async () => {
    // The test's own reads of the database first, then the host and its folder.
    await closeAll();
    await ownDatabase?.remove();
});

type Props = Record<string, any>;
const urn = (kind: string, name: string) => `urn:pulumi:dev::psecret::pulumi-nodejs:dynamic/mlplatform:${kind}::${name}`;
const CODENAME = "operation-nightjar-7731";
const LABEL = "codename-kestrel";

/** Every byte the control plane wrote: the database and its write-ahead log. */
const databaseBytes = () => fs.readdirSync(dataDir).filter((f) => f.startsWith("platform.db")).map((f) => fs.readFileSync(path.join(dataDir, f)).toString("latin1")).join("");

async function project(): Promise<{ id: string; outs: Props }> {
    const org = await host.up("Organization", { __owner: urn("Organization", "org"), displayName: "Secretive", defaultZone: "ru-central1-a" });
    const o = org.outs.name;
    const account = await host.up("BillingAccount", { __owner: urn("BillingAccount", "a"), organizationId: org.id, organization: o, status: "active" });
    const community = await host.up("Community", { __owner: urn("Community", "c"), organizationId: org.id, organization: o, zone: "ru-central1-a" });
    await host.up("BillingLink", { __owner: urn("BillingLink", "l"), communityId: community.id, billingAccountId: account.id, organization: o });
    return host.up("Project", { __owner: urn("Project", "p"), communityId: community.id, organization: o, zone: "ru-central1-a" });
}

describe("a value the program made secret", () => {
    it("is sealed in the database, noticed when changed outside, and unsealed when the program makes it plain", async () => {
        const p = await project();
        const news = {
            __owner: urn("Dataset", "d"), projectId: p.id, organization: p.outs.organization, zone: p.outs.zone, sizeGb: 1,
            description: CODENAME, labels: { project: LABEL }, __secretInputs: ["description", "labels"],
        };
        const ds = await host.up("Dataset", news);
        expect(databaseBytes()).not.toContain(CODENAME);
        expect(databaseBytes()).not.toContain(LABEL);
        const outside = embeddedClient({ mode: "embedded", dataDir, principal: "userAccount:owner" });
        const stored = await outside.get("Dataset", ds.id);
        expect(stored.spec.description).toBeUndefined();
        expect(Object.keys(stored.secretDigests).sort()).toEqual(["description", "labels"]);

        // A refresh keeps the value while its digest is the same, and drops it when it changed outside.
        expect((await host.read("Dataset", ds.id, ds.outs)).inputs?.description).toBe(CODENAME);
        // A digest from state written before digests were bound to their object cannot be compared: kept, renewed.
        const legacy = await host.read("Dataset", ds.id, { ...ds.outs, __secretDigests: { description: "0123456789abcdef0123456789abcdef", labels: "0123456789abcdef0123456789abcdef" } });
        expect(legacy.inputs?.description).toBe(CODENAME);
        expect(legacy.props.__secretDigests.description).toMatch(/^v2:/);
        await outside.update({ kind: "Dataset", id: ds.id, patch: { description: "changed outside" } });
        const refreshed = await host.read("Dataset", ds.id, ds.outs);
        expect(refreshed.inputs?.description).toBeUndefined();
        expect((await host.diff("Dataset", ds.id, refreshed.props, ds.inputs)).changes).toBe("some");

        // The same value, no longer secret: diff sends it again, and the platform stores it in the open.
        const plain = { ...news, description: "changed outside", __secretInputs: ["labels"] };
        const checked = (await host.check("Dataset", refreshed.props, plain)).inputs;
        expect((await host.diff("Dataset", ds.id, refreshed.props, checked)).changes).toBe("some");
        await host.update("Dataset", ds.id, refreshed.props, checked);
        expect((await outside.get("Dataset", ds.id)).spec.description).toBe("changed outside");
        expect(databaseBytes()).not.toContain(LABEL);
    });

    it("is never shown when a create meets an object of the same name", async () => {
        const p = await project();
        const base = { projectId: p.id, organization: p.outs.organization, zone: p.outs.zone, sizeGb: 1, name: "taken" };
        const outside = embeddedClient({ mode: "embedded", dataDir, principal: "userAccount:owner" });
        await outside.create({ kind: "Dataset", spec: { projectId: p.id, name: "taken", sizeGb: 1, description: "plain" } });
        const second = host.up("Dataset", { ...base, __owner: urn("Dataset", "second"), __adopt: true, description: CODENAME, __secretInputs: ["description"] });
        await expect(second).rejects.toThrow(/differs in description \(secret\)/);
        await expect(second).rejects.not.toThrow(new RegExp(CODENAME));
    });

    it("is refused in preview where the platform must read the field, without showing it", async () => {
        const p = await project();
        const { failures } = await host.check("Dataset", {}, {
            __owner: urn("Dataset", "n"), projectId: p.id, organization: p.outs.organization, zone: p.outs.zone, sizeGb: 1,
            name: "secret-name", __secretInputs: ["name"],
        });
        expect(failures).toEqual([{ property: "", reason: "name cannot be secret: the platform reads it to keep its rules and shows it to the organization's members, got [secret]. Pass name as a plain value." }]);
        expect(JSON.stringify(failures)).not.toContain("secret-name");
    });
});
