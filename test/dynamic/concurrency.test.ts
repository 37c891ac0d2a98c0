// Many calls at once in one dynamic-provider host, as Pulumi's engine makes them with `--parallel`: the real host
// over gRPC, each backend (the embedded database, a served control plane, DataSphere through its fake), calls sent
// together with Promise.all, and the end state read back from the platform itself, not from the host's answers.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeAll, embeddedClient } from "../../provider/client/embedded";
import type { PlatformObject } from "../../provider/model/contract";
import type { KindName } from "../../provider/model/kinds";
import { hostConfigFor } from "../support/datasphere-client";
import { DataSphereFake } from "../support/datasphere-fake";
import { DynamicHost, ownedDataset as dataset, ownedWorld, ownerUrn as urn } from "../support/dynamic-host";
import { Served, serveControlPlane } from "../support/served";

type Props = Record<string, any>;

/** What the platform itself holds, read beside the host (never through it). */
interface Platform {
    get(kind: KindName, id: string): Promise<PlatformObject | undefined>;
    datasets(projectId: string): Promise<PlatformObject[]>;
}

interface Backend {
    readonly name: string;
    start(): Promise<{ config: Record<string, string>; platform: Platform; stop(): Promise<void> }>;
}

const missing = (e: unknown) => ((e as { code?: string }).code === "NOT_FOUND" ? undefined : Promise.reject(e));

const embedded: Backend = {
    name: "embedded",
    async start() {
        const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "mlp-concurrent-"));
        const client = embeddedClient({ mode: "embedded", dataDir, principal: "userAccount:owner" });
        return {
            config: { "mlplatform:dataDir": dataDir },
            platform: {
                get: (kind, id) => client.get(kind, id).catch(missing),
                datasets: async (projectId) => (await client.list({ kind: "Dataset", parentId: projectId })).items,
            },
            stop: async () => {
                await closeAll();
                fs.rmSync(dataDir, { recursive: true, force: true });
            },
        };
    },
};

const served: Backend = {
    name: "served",
    async start() {
        const server: Served = await serveControlPlane("team-token=userAccount:owner");
        const owner = "userAccount:owner";
        return {
            config: { "mlplatform:endpoint": server.endpoint, "mlplatform:token": "team-token" },
            platform: {
                get: async (kind, id) => {
                    try {
                        return server.service.get(owner, kind, id);
                    } catch (e) {
                        return missing(e);
                    }
                },
                datasets: async (projectId) => server.service.list(owner, { kind: "Dataset", parentId: projectId }).items,
            },
            stop: () => server.close(),
        };
    },
};

for (const backend of [embedded, served]) {
    describe(`concurrent calls on the ${backend.name} backend`, () => {
        let host: DynamicHost;
        let platform: Platform;
        let stop: () => Promise<void>;

        beforeAll(async () => {
            const started = await backend.start();
            platform = started.platform;
            stop = started.stop;
            host = await DynamicHost.start(started.config);
        }, 30_000);
        afterAll(async () => {
            // The host exits before the backend's folder goes, so that nothing writes there any more.
            await host?.stop();
            await stop?.();
        });

        const world = (stack: string) => ownedWorld(host, stack);

        it("creates two objects at once, each once", async () => {
            const { project } = await world("two");
            const [a, b] = await Promise.all([
                host.up("Dataset", dataset(project, urn("two", "Dataset", "a"))),
                host.up("Dataset", dataset(project, urn("two", "Dataset", "b"))),
            ]);
            expect(a.id).not.toBe(b.id);
            const held = await platform.datasets(project.id);
            expect(held.map((d) => d.id).sort()).toEqual([a.id, b.id].sort());
            expect(held.map((d) => d.owner).sort()).toEqual([urn("two", "Dataset", "a"), urn("two", "Dataset", "b")]);
        });

        it("creates twenty objects at once and deletes them at once", async () => {
            const { project } = await world("many");
            const made = await Promise.all(Array.from({ length: 20 }, (_, i) => host.up("Dataset", dataset(project, urn("many", "Dataset", `d${i}`)))));
            expect(new Set(made.map((m) => m.id)).size).toBe(20);
            expect((await platform.datasets(project.id)).length).toBe(20);
            await Promise.all(made.map((m) => host.delete("Dataset", m.id, m.outs)));
            expect(await platform.datasets(project.id)).toEqual([]);
        });

        it("answers the same create sent twice at once (a retry racing its first attempt) with one object", async () => {
            const { project } = await world("race");
            const checked = await host.check("Dataset", {}, dataset(project, urn("race", "Dataset", "d")));
            const [first, second] = await Promise.all([host.create("Dataset", checked.inputs), host.create("Dataset", checked.inputs)]);
            expect(second.id).toBe(first.id);
            expect((await platform.datasets(project.id)).map((d) => d.id)).toEqual([first.id]);
        });

        it("gives a name two stacks ask for at once to one of them, and refuses the other, naming the owner", async () => {
            const { project } = await world("names");
            const results = await Promise.allSettled(["a", "b"].map((stack) => host.up("Dataset", dataset(project, urn(stack, "Dataset", "images"), { name: "contested" }))));
            const won = results.filter((r) => r.status === "fulfilled");
            const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
            expect(won.length).toBe(1);
            expect(lost.length).toBe(1);
            expect(String(lost[0].reason.message)).toMatch(/ALREADY_EXISTS: a Dataset named "contested" already exists .*managed by resource "images" of stack team\/[ab]/s);
            const held = await platform.datasets(project.id);
            expect(held.length).toBe(1);
            expect(held[0].id).toBe((won[0] as PromiseFulfilledResult<{ id: string }>).value.id);
        });

        it("creates one object while deleting another", async () => {
            const { project } = await world("swap");
            const old = await host.up("Dataset", dataset(project, urn("swap", "Dataset", "old")));
            const [made] = await Promise.all([
                host.up("Dataset", dataset(project, urn("swap", "Dataset", "new"))),
                host.delete("Dataset", old.id, old.outs),
            ]);
            expect((await platform.datasets(project.id)).map((d) => d.id)).toEqual([made.id]);
            expect(await platform.get("Dataset", old.id)).toBeUndefined();
        });

        it("reads an object while it is updated: the read is the object before or after, never a mix", async () => {
            const { project } = await world("read");
            const made = await host.up("Dataset", dataset(project, urn("read", "Dataset", "d"), { description: "v1" }));
            const news = { ...made.inputs, description: "v2", labels: { v: "2" } };
            const [updated, ...reads] = await Promise.all([
                host.update("Dataset", made.id, made.outs, news),
                ...Array.from({ length: 5 }, () => host.read("Dataset", made.id, made.outs)),
            ]);
            expect(updated.platform.version).toBe(2);
            for (const read of reads) {
                const version = read.props.platform.version;
                expect([1, 2]).toContain(version);
                expect(read.props.description).toBe(version === 1 ? "v1" : "v2");
                expect(read.props.labels).toEqual(version === 1 ? undefined : { v: "2" });
            }
            expect((await platform.get("Dataset", made.id))?.spec).toMatchObject({ description: "v2", labels: { v: "2" } });
        });

        it("updates and deletes different objects of one project at once", async () => {
            const { project } = await world("mixed");
            const [a, b, c] = await Promise.all(["a", "b", "c"].map((n) => host.up("Dataset", dataset(project, urn("mixed", "Dataset", n)))));
            await Promise.all([
                host.update("Dataset", a.id, a.outs, { ...a.inputs, description: "changed a" }),
                host.update("Dataset", b.id, b.outs, { ...b.inputs, description: "changed b" }),
                host.delete("Dataset", c.id, c.outs),
            ]);
            expect((await platform.get("Dataset", a.id))?.spec.description).toBe("changed a");
            expect((await platform.get("Dataset", b.id))?.spec.description).toBe("changed b");
            expect(await platform.get("Dataset", c.id)).toBeUndefined();
        });

        it("builds two worlds at once, each step waiting only for its own parent", async () => {
            const [x, y] = await Promise.all([world("par-x"), world("par-y")]);
            expect(x.project.outs.organization).not.toBe(y.project.outs.organization);
            for (const w of [x, y]) expect((await platform.get("Project", w.project.id))?.organizationId).toBe(w.org.id);
        });
    });
}

describe("concurrent calls on the datasphere backend", () => {
    let fake: DataSphereFake;
    let host: DynamicHost;
    let orgId: string;

    beforeAll(async () => {
        fake = await DataSphereFake.start();
        orgId = fake.addOrganization("acme", "Acme");
        host = await DynamicHost.start(hostConfigFor(fake));
    }, 30_000);
    afterAll(async () => {
        await host?.stop();
        await fake?.stop();
    });

    const community = (stack: string, name: string) => ({ __owner: urn(stack, "Community", name), organizationId: orgId, organization: "acme", zone: "ru-central1-a" });
    const roles = (resourceId: string) => (fake.bindings.get(resourceId) ?? []).map((b) => `${b.subject?.id}:${b.roleId}`).sort();

    it("creates two communities at once, and two projects in one of them", async () => {
        const [a, b] = await Promise.all([host.up("Community", community("ds-two", "a")), host.up("Community", community("ds-two", "b"))]);
        expect(a.id).not.toBe(b.id);
        expect(fake.communities.has(a.id) && fake.communities.has(b.id)).toBe(true);
        const project = (name: string) => ({ __owner: urn("ds-two", "Project", name), communityId: a.id, organization: "acme", zone: "ru-central1-a" });
        const [p, q] = await Promise.all([host.up("Project", project("p")), host.up("Project", project("q"))]);
        expect([...fake.projects.values()].filter((x) => x.communityId === a.id).map((x) => x.id).sort()).toEqual([p.id, q.id].sort());
    });

    it("answers the same community create sent twice at once with one community", async () => {
        const checked = await host.check("Community", {}, community("ds-race", "c"));
        const before = fake.communities.size;
        const [first, second] = await Promise.all([host.create("Community", checked.inputs), host.create("Community", checked.inputs)]);
        expect(second.id).toBe(first.id);
        expect(fake.communities.size).toBe(before + 1);
    });

    it("grants two members of one community at once, and removes one while granting a third", async () => {
        const c = await host.up("Community", community("ds-members", "team"));
        const member = (subject: string, role: string) => ({ __owner: urn("ds-members", "CommunityMember", subject), communityId: c.id, organization: "acme", subject: `userAccount:${subject}`, role });
        const [alice, bob] = await Promise.all([host.up("CommunityMember", member("alice", "admin")), host.up("CommunityMember", member("bob", "viewer"))]);
        expect(roles(c.id)).toEqual(["alice:datasphere.communities.admin", "bob:datasphere.communities.viewer"]);
        await Promise.all([host.delete("CommunityMember", alice.id, alice.outs), host.up("CommunityMember", member("carol", "developer"))]);
        expect(roles(c.id)).toEqual(["bob:datasphere.communities.viewer", "carol:datasphere.communities.developer"]);
        // A role change beside a read of the same member: the read is the role before or after.
        const [, read] = await Promise.all([
            host.update("CommunityMember", bob.id, bob.outs, { ...bob.inputs, role: "editor" }),
            host.read("CommunityMember", bob.id, bob.outs),
        ]);
        expect(["viewer", "editor"]).toContain(read.props.role);
        expect(roles(c.id)).toEqual(["bob:datasphere.communities.editor", "carol:datasphere.communities.developer"]);
    });

    it("updates a project while reading it, and deletes one project while creating another", async () => {
        const c = await host.up("Community", community("ds-update", "team"));
        const project = (name: string, extra: Props = {}) => ({ __owner: urn("ds-update", "Project", name), communityId: c.id, organization: "acme", zone: "ru-central1-a", ...extra });
        const p = await host.up("Project", project("p", { description: "v1" }));
        const [updated, read] = await Promise.all([
            host.update("Project", p.id, p.outs, { ...p.inputs, description: "v2" }),
            host.read("Project", p.id, p.outs),
        ]);
        expect(updated.description).toBe("v2");
        expect(["v1", "v2"]).toContain(read.props.description);
        expect(fake.projects.get(p.id)?.description).toBe("v2");
        const [q] = await Promise.all([host.up("Project", project("q")), host.delete("Project", p.id, updated)]);
        expect(fake.projects.has(p.id)).toBe(false);
        expect(fake.projects.has(q.id)).toBe(true);
    });
});
