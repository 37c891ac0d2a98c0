// Configuration mistakes are found in preview and never silently change which control plane a stack talks to:
// through the SDK's dynamic-provider host, with a served control plane and an embedded one.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamicHost } from "../support/dynamic-host";
import { Served, serveControlPlane } from "../support/served";

let served: Served;
let endpoint: string;
const hosts: DynamicHost[] = [];
const tempDirs: string[] = [];
const tempDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mlp-config-"));
    tempDirs.push(dir);
    return dir;
};

beforeAll(async () => {
    served = await serveControlPlane("team-token=userAccount:owner,other-token=userAccount:other");
    endpoint = served.endpoint;
});
afterAll(async () => {
    // The hosts hold their databases open: they exit before their folders go.
    await Promise.all(hosts.map((h) => h.stop()));
    for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
    await served.close();
});

async function start(config: Record<string, string>): Promise<DynamicHost> {
    const host = await DynamicHost.start(config);
    hosts.push(host);
    return host;
}

const organization = { __owner: "urn:pulumi:dev::team::pulumi-nodejs:dynamic/mlplatform:Organization::acme", displayName: "Acme", defaultZone: "ru-central1-a" };

describe("configuration mistakes", () => {
    it("fail check, in preview, naming every misspelt key with a suggestion and never showing a secret", async () => {
        const host = await start({ "mlplatform:endpiont": endpoint, "mlplatform:token": "team-token", "mlplatform:principal": "alice", "team:other": "kept" });
        const failure = host.check("Organization", {}, organization);
        await expect(failure).rejects.toThrow(/unknown config key mlplatform:endpiont\. Did you mean mlplatform:endpoint\?/);
        await expect(failure).rejects.toThrow(/principal .*must be a subject like userAccount:alice, got "alice"/s);
        await expect(failure).rejects.not.toThrow(/team-token|team:other/);
        // Every later call fails the same way: the mistake is never forgotten for the rest of the run.
        await expect(host.create("Organization", await host.withProvider("Organization", { ...organization, name: "acme" }))).rejects.toThrow(/mlplatform:endpiont/);
    });

    it("a correct configuration passes check", async () => {
        const host = await start({ "mlplatform:endpoint": endpoint, "mlplatform:token": "team-token", "team:other": "kept" });
        expect((await host.check("Organization", {}, organization)).failures).toEqual([]);
    });
});

describe("organization names, unique across the platform", () => {
    it("differ between tenants running the same program, and stay the same for one tenant", async () => {
        const team = await start({ "mlplatform:endpoint": endpoint, "mlplatform:token": "team-token" });
        const other = await start({ "mlplatform:endpoint": endpoint, "mlplatform:token": "other-token" });
        const [mine, again, theirs] = await Promise.all([team.check("Organization", {}, organization), team.check("Organization", {}, organization), other.check("Organization", {}, organization)]);
        expect(mine.inputs.name).toMatch(/^acme-[a-z0-9]{7}$/);
        expect(again.inputs.name).toBe(mine.inputs.name);
        expect(theirs.inputs.name).not.toBe(mine.inputs.name);
        // Both can create theirs.
        const created = await Promise.all([team.create("Organization", mine.inputs), other.create("Organization", theirs.inputs)]);
        expect(created[0].id).not.toBe(created[1].id);
        await Promise.all([team.delete("Organization", created[0].id, created[0].outs), other.delete("Organization", created[1].id, created[1].outs)]);
    });
});

describe("a stack whose endpoint is forgotten", () => {
    it("is refused by the embedded database it falls back to, instead of losing its objects from state", async () => {
        const served = await start({ "mlplatform:endpoint": endpoint, "mlplatform:token": "team-token" });
        const org = await served.up("Organization", organization);
        expect(org.outs.platform.controlPlaneLocation).toBe(`the control plane served at ${endpoint}`);
        const forgotten = await start({ "mlplatform:dataDir": tempDir() });
        const message = new RegExp(`lives on control plane [0-9a-f]{32} \\(the control plane served at ${endpoint.replace(/[.]/g, "\\.")}\\), but the provider now reaches control plane [0-9a-f]{32} \\(the embedded database`);
        await expect(forgotten.read("Organization", org.id, org.outs)).rejects.toThrow(message);
        // Preview refuses already, at check of the stack's existing resources: nothing new is created on the wrong
        // control plane, and the stack is never split over two.
        // (The engine hands check the old inputs, as the Pulumi CLI does: they carry the control plane check chose.)
        await expect(forgotten.check("Organization", org.inputs, organization)).rejects.toThrow(message);
        // A moved endpoint of the same control plane is not a mistake: check asks it who it is, and goes on.
        const moved = await start({ "mlplatform:endpoint": endpoint.replace("127.0.0.1", "localhost"), "mlplatform:token": "team-token" });
        const movedCheck = await moved.check("Organization", org.inputs, organization);
        expect(movedCheck.failures).toEqual([]);
        expect(movedCheck.inputs.__controlPlane).toEqual({ id: org.inputs.__controlPlane.id, location: expect.stringContaining("localhost") });
        await expect(forgotten.delete("Organization", org.id, org.outs)).rejects.toThrow(message);
        // Back on its own control plane, it is all there.
        expect((await served.read("Organization", org.id, org.outs)).id).toBe(org.id);
        await served.delete("Organization", org.id, org.outs);
    });
});
