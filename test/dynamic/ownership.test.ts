// Lose nothing, leak nothing, through the real path (the SDK's dynamic-provider host over gRPC, a real database):
// names decided once, one owner per object, retries that converge, refresh that shows drift, and a stack that
// is never emptied by pointing it at another control plane.
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeAll, embeddedClient } from "../../provider/client/embedded";
import { DynamicHost, hostOnOwnDatabase, ownedDataset as dataset, ownedWorld, ownerUrn as urn, type HostOnOwnDatabase } from "../support/dynamic-host";

let host: DynamicHost;
let dataDir: string;
let ownDatabase: HostOnOwnDatabase | undefined;

beforeAll(async () => {
    ownDatabase = await hostOnOwnDatabase("owner");
    ({ host, dataDir } = ownDatabase);
}, 30_000);
afterAll(async () => {
    // The test's own reads of the database first, then the host and its folder.
    await closeAll();
    await ownDatabase?.remove();
});

/** An organization, a linked community and a project, as stack `stack` creates them. */
const world = (stack: string) => ownedWorld(host, stack);

describe("names decided once", () => {
    it("gives the same autoname in preview, in up and in a rerun, which takes over the object the first attempt made", async () => {
        const { project } = await world("names");
        const news = dataset(project, urn("names", "Dataset", "images"));
        const preview = await host.check("Dataset", {}, news);
        const up = await host.check("Dataset", {}, news);
        expect(preview.failures).toEqual([]);
        expect(up.inputs.name).toBe(preview.inputs.name);
        expect(up.inputs.name).toMatch(/^images-[a-z0-9]{7}$/);
        const first = await host.create("Dataset", up.inputs);
        // The engine was killed before it recorded the create: the rerun checks and creates again.
        const rerun = await host.check("Dataset", {}, news);
        const second = await host.create("Dataset", rerun.inputs);
        expect(second.id).toBe(first.id);
        const outside = embeddedClient({ mode: "embedded", dataDir, principal: "userAccount:owner" });
        expect((await outside.list({ kind: "Dataset", parentId: project.id })).items.map((o) => o.id)).toEqual([first.id]);
        // The program changed before the rerun: the rerun converges on it, on the same object.
        const changed = await host.check("Dataset", {}, { ...news, description: "changed before the rerun" });
        const third = await host.create("Dataset", changed.inputs);
        expect(third.id).toBe(first.id);
        expect((await outside.get("Dataset", first.id)).spec.description).toBe("changed before the rerun");

        // A replacement forced by a changed field gets a fresh name, so both can coexist while it is created first.
        const bigger = await host.check("Dataset", {}, { ...news, sizeGb: 10 });
        expect(bigger.inputs.name).not.toBe(up.inputs.name);
        expect((await host.diff("Dataset", first.id, first.outs, { ...(await host.check("Dataset", up.inputs, { ...news, sizeGb: 10 })).inputs }))
            .deleteBeforeReplace).toBe(false);
        // A replacement with nothing changed (`pulumi up --replace`) would keep the name: the old one goes first.
        expect((await host.diff("Dataset", first.id, first.outs, up.inputs)).deleteBeforeReplace).toBe(true);
        // Another stack's resource of the same logical name gets another name.
        const other = await host.check("Dataset", {}, dataset(project, urn("names-2", "Dataset", "images")));
        expect(other.inputs.name).not.toBe(up.inputs.name);
    });
});

describe("one owner per object", () => {
    it("refuses a second stack's create of the same explicit name, naming the owner; that stack can never delete it", async () => {
        const { project } = await world("owner-a");
        const a = await host.up("Dataset", dataset(project, urn("a", "Dataset", "images"), { name: "shared-images" }));
        const b = dataset(project, urn("b", "Dataset", "images"), { name: "shared-images" });
        await expect(host.up("Dataset", b)).rejects.toThrow(/ALREADY_EXISTS: a Dataset named "shared-images" already exists .*managed by resource "images" of stack team\/a .*adopt/s);
        // Even with the id in its state somehow, the other stack's delete is refused and the object stays.
        await expect(host.delete("Dataset", a.id, { ...a.outs, __owner: b.__owner })).rejects.toThrow(/FAILED_PRECONDITION: Dataset "shared-images" is managed by resource "images" of stack team\/a/);
        await expect(host.update("Dataset", a.id, { ...a.outs, __owner: b.__owner }, { ...a.inputs, __owner: b.__owner, description: "mine" }))
            .rejects.toThrow(/is managed by resource "images" of stack team\/a/);
        expect((await host.read("Dataset", a.id, a.outs)).id).toBe(a.id);
        // The owning stack still manages it, under another resource name too (a rename keeps the stack).
        await host.update("Dataset", a.id, a.outs, { ...a.inputs, __owner: urn("a", "Dataset", "renamed"), description: "mine" });
        await host.delete("Dataset", a.id, { ...a.outs, __owner: urn("a", "Dataset", "renamed") });
    });

    it("adopts on purpose: an unmanaged object with adopt: true, a released one by naming its former owner", async () => {
        const { project } = await world("adopt");
        const outside = embeddedClient({ mode: "embedded", dataDir, principal: "userAccount:owner" });
        const made = await outside.create({ kind: "Dataset", spec: { projectId: project.id, name: "legacy", sizeGb: 5 } });
        const c = dataset(project, urn("c", "Dataset", "legacy"), { name: "legacy" });
        await expect(host.up("Dataset", c)).rejects.toThrow(/made outside any stack, so it was not adopted\. .*set adopt: true/s);
        await expect(host.up("Dataset", { ...c, __adopt: true, sizeGb: 6 })).rejects.toThrow(/differs in sizeGb/);
        expect((await host.up("Dataset", { ...c, __adopt: true })).id).toBe(made.id);
        // Now c manages it: adopt: true no longer takes it...
        const d = dataset(project, urn("d", "Dataset", "legacy"), { name: "legacy", __adopt: true });
        await expect(host.up("Dataset", d)).rejects.toThrow(/managed by resource "legacy" of stack team\/c/);
        // ...until d names c as the owner it takes it from (after c released it from its state).
        const taken = await host.up("Dataset", { ...d, __adopt: c.__owner });
        expect(taken.id).toBe(made.id);
        expect((await outside.get("Dataset", made.id)).owner).toBe(d.__owner);
        // Had c not released it after all, its refresh says who has it now, instead of keeping or dropping it.
        const cState = { ...taken.outs, __owner: c.__owner };
        await expect(host.read("Dataset", made.id, cState)).rejects.toThrow(/FAILED_PRECONDITION: Dataset "legacy" \(id .*\) is now managed by resource "legacy" of stack team\/d .*\(another stack took it over with adopt\); this stack no longer manages it\. Remove it from this stack's state \(pulumi state delete 'urn:pulumi:c::team::/);
        expect((await host.read("Dataset", made.id, taken.outs)).id).toBe(made.id);
    });

    it("says so when two resources of one stack declare one object", async () => {
        const { project } = await world("twice");
        await host.up("Dataset", dataset(project, urn("twice", "Dataset", "one"), { name: "dup" }));
        const second = host.up("Dataset", dataset(project, urn("twice", "Dataset", "two"), { name: "dup" }));
        await expect(second).rejects.toThrow(/: resource "one" of stack team\/twice .*, another resource of this stack, manages it, so it was not adopted\. Two resources must never declare one object: give one of them another name\./s);
        await expect(second).rejects.not.toThrow(/adopt:/);
    });

    it("refuses an adopt value that is neither true nor an owner, in check", async () => {
        const { project } = await world("adopt-bad");
        const { failures } = await host.check("Dataset", {}, dataset(project, urn("e", "Dataset", "x"), { __adopt: "yes please" }));
        expect(failures).toEqual([{ property: "adopt", reason: expect.stringMatching(/must be true, false or the URN .*got "yes please"/) }]);
    });
});

describe("retries and drift", () => {
    it("converges when an update that already landed is retried, and still refuses someone else's change", async () => {
        const { project } = await world("retry");
        const created = await host.up("Dataset", dataset(project, urn("retry", "Dataset", "d")));
        const news = { ...created.inputs, description: "v2" };
        const first = await host.update("Dataset", created.id, created.outs, news);
        expect(first.platform.version).toBe(2);
        // The engine died before recording the update: the rerun sends the same update from the same version.
        const retried = await host.update("Dataset", created.id, created.outs, news);
        expect(retried.platform.version).toBe(2);
        expect(retried.description).toBe("v2");
        // A different change from the stale version is a real conflict.
        await expect(host.update("Dataset", created.id, created.outs, { ...created.inputs, description: "v3" })).rejects.toThrow(/ABORTED/);
    });

    it("on refresh hands back the platform's values as inputs, so the next diff shows the drift it will revert", async () => {
        const { project } = await world("drift");
        const created = await host.up("Dataset", dataset(project, urn("drift", "Dataset", "d"), { description: "ours" }));
        const outside = embeddedClient({ mode: "embedded", dataDir, principal: "userAccount:owner" });
        await outside.update({ kind: "Dataset", id: created.id, patch: { description: "theirs" } });
        const refreshed = await host.read("Dataset", created.id, created.outs);
        expect(refreshed.inputs?.description).toBe("theirs");
        expect(refreshed.inputs?.platform).toBeUndefined();
        expect((await host.diff("Dataset", created.id, refreshed.props, created.inputs)).changes).toBe("some");
        // A read with `get` (no state of ours) gives no inputs.
        expect((await host.read("Dataset", created.id, { __provider: refreshed.props.__provider })).inputs).toBeUndefined();
    });
});

describe("the control plane an object lives on", () => {
    it("refuses to read, change or delete it through another control plane instead of dropping it from state", async () => {
        const { project } = await world("home");
        const created = await host.up("Dataset", dataset(project, urn("home", "Dataset", "d")));
        expect(created.outs.platform.controlPlaneLocation).toContain(path.join(dataDir, "platform.db"));
        const other = await hostOnOwnDatabase("other");
        const elsewhere = other.host;
        try {
            const home = new RegExp(`lives on control plane ${created.outs.platform.controlPlaneId} \\(the embedded database .*\\), but the provider now reaches control plane [0-9a-f]{32}`);
            await expect(elsewhere.read("Dataset", created.id, created.outs)).rejects.toThrow(home);
            await expect(elsewhere.update("Dataset", created.id, created.outs, { ...created.inputs, description: "x" })).rejects.toThrow(home);
            await expect(elsewhere.delete("Dataset", created.id, created.outs)).rejects.toThrow(home);
        } finally {
            await other.remove();
        }
        expect((await host.read("Dataset", created.id, created.outs)).id).toBe(created.id);
    });
});
