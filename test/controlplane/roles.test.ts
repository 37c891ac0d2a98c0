// Who may do what, through the service with different principals on one database. Every refusal is
// PERMISSION_DENIED naming the role needed and held, and changes nothing; objects of another organization
// are NOT_FOUND, never PERMISSION_DENIED.
import { describe, expect, it } from "vitest";
import { expectError, expectRefused, OWNER, Platform, platform, world } from "./support";

const ORG_ADMIN = "userAccount:ada";
const MEMBER = "userAccount:mem";
const VIEWER = "userAccount:viewer";
const DEV = "userAccount:dev";
const EDITOR = "userAccount:ed";
const ADMIN = "userAccount:adm";
const STRANGER = "userAccount:stranger";

/** acme: an organization admin, members, and one community role of each kind in "acme-research". */
function team() {
    const p = platform();
    const w = world(p, "acme", "ru-central1-a", { admins: [ORG_ADMIN], members: [MEMBER, DEV, EDITOR, ADMIN] });
    const grant = (subject: string, role: string) => p.owner.create("CommunityMember", { communityId: w.community.id, subject, role });
    grant(VIEWER, "viewer");
    grant(DEV, "developer");
    grant(EDITOR, "editor");
    grant(ADMIN, "admin");
    return { p, w };
}

function denied(p: Platform, fn: () => unknown, message: RegExp | string) {
    const e = expectRefused(p, fn);
    expect(e.code).toBe("PERMISSION_DENIED");
    if (typeof message === "string") expect(e.message).toBe(message);
    else expect(e.message).toMatch(message);
}

describe("community roles", () => {
    it("creating a project needs community developer", () => {
        const { p, w } = team();
        denied(p, () => p.as(VIEWER).create("Project", { communityId: w.community.id, name: "v" }),
            'userAccount:viewer cannot create a project: it needs the developer role in community "acme-research" (has viewer). Ask for it with a CommunityMember from a community admin.');
        for (const who of [DEV, EDITOR, ADMIN]) {
            expect(p.as(who).create("Project", { communityId: w.community.id, name: who.split(":")[1] }).createdBy).toBe(who);
        }
    });

    it("billing links need community editor", () => {
        const { p, w } = team();
        const acc2 = p.owner.create("BillingAccount", { organizationId: w.org.id, name: "two", status: "active" });
        denied(p, () => p.as(DEV).update("BillingLink", w.link.id, { billingAccountId: acc2.id }),
            /^userAccount:dev cannot link a billing account: it needs the editor role in community "acme-research" \(has developer\)/);
        expect(p.as(EDITOR).update("BillingLink", w.link.id, { billingAccountId: acc2.id }).version).toBe(2);
        const fresh = p.owner.create("Community", { organizationId: w.org.id, name: "fresh", zone: "ru-central1-a" });
        p.owner.create("CommunityMember", { communityId: fresh.id, subject: DEV, role: "developer" });
        p.owner.create("CommunityMember", { communityId: fresh.id, subject: EDITOR, role: "editor" });
        denied(p, () => p.as(DEV).create("BillingLink", { communityId: fresh.id, billingAccountId: acc2.id }), /needs the editor role in community "fresh"/);
        expect(p.as(EDITOR).create("BillingLink", { communityId: fresh.id, billingAccountId: acc2.id }).createdBy).toBe(EDITOR);
    });

    it("editing and deleting a community need community editor", () => {
        const { p, w } = team();
        const empty = p.owner.create("Community", { organizationId: w.org.id, name: "empty", zone: "ru-central1-a" });
        p.owner.create("CommunityMember", { communityId: empty.id, subject: DEV, role: "developer" });
        p.owner.create("CommunityMember", { communityId: empty.id, subject: EDITOR, role: "editor" });
        denied(p, () => p.as(DEV).update("Community", empty.id, { description: "x" }), /cannot update a community: it needs the editor role in community "empty" \(has developer\)/);
        denied(p, () => p.as(DEV).delete("Community", empty.id), /cannot delete a community: it needs the editor role in community "empty" \(has developer\)/);
        expect(p.as(EDITOR).update("Community", empty.id, { description: "x" }).version).toBe(2);
        p.as(EDITOR).delete("Community", empty.id);
        expect(expectError(() => p.owner.get("Community", empty.id)).code).toBe("NOT_FOUND");
    });

    it("granting, changing and removing community roles needs community admin", () => {
        const { p, w } = team();
        const viewer = p.owner.list("CommunityMember", { parentId: w.community.id }).items.find((m) => m.spec.subject === VIEWER)!;
        denied(p, () => p.as(EDITOR).create("CommunityMember", { communityId: w.community.id, subject: "userAccount:x", role: "viewer" }),
            'userAccount:ed cannot grant community roles: it needs the admin role in community "acme-research" (has editor). Ask for it with a CommunityMember from a community admin.');
        denied(p, () => p.as(EDITOR).update("CommunityMember", viewer.id, { role: "admin" }), /grant community roles/);
        denied(p, () => p.as(EDITOR).delete("CommunityMember", viewer.id), /grant community roles/);
        expect(p.as(ADMIN).create("CommunityMember", { communityId: w.community.id, subject: "userAccount:x", role: "viewer" }).spec.role).toBe("viewer");
        expect(p.as(ADMIN).update("CommunityMember", viewer.id, { role: "developer" }).spec.role).toBe("developer");
        // The promotion takes effect at once.
        expect(p.as(VIEWER).create("Project", { communityId: w.community.id, name: "promoted" }).createdBy).toBe(VIEWER);
    });

    it("removing one member never touches another's role", () => {
        const { p, w } = team();
        const dev = p.owner.list("CommunityMember", { parentId: w.community.id }).items.find((m) => m.spec.subject === DEV)!;
        p.owner.delete("CommunityMember", dev.id);
        expect(p.owner.list("CommunityMember", { parentId: w.community.id }).items.map((m) => m.spec.subject).sort())
            .toEqual([ADMIN, EDITOR, VIEWER]);
        denied(p, () => p.as(DEV).create("Project", { communityId: w.community.id, name: "gone" }), /\(has no role\)/);
        expect(p.as(EDITOR).create("Project", { communityId: w.community.id, name: "still-works" }).createdBy).toBe(EDITOR);
    });
});

describe("organization roles", () => {
    it("organization admins are community admins in every community", () => {
        const { p, w } = team();
        const other = p.owner.create("Community", { organizationId: w.org.id, name: "other", zone: "ru-central1-b" });
        const ada = p.as(ORG_ADMIN);
        expect(ada.create("CommunityMember", { communityId: other.id, subject: "userAccount:y", role: "editor" }).createdBy).toBe(ORG_ADMIN);
        expect(ada.create("CommunityMember", { communityId: w.defaultCommunityId, subject: "userAccount:y", role: "admin" }).createdBy).toBe(ORG_ADMIN);
        // ... and so administer every project of those communities.
        expect(ada.update("Project", w.project.id, { description: "by the org admin" }).version).toBe(2);
        expect(ada.create("ProjectMember", { projectId: w.project.id, subject: "userAccount:y", role: "viewer" }).createdBy).toBe(ORG_ADMIN);
        expect(ada.create("Project", { communityId: w.community.id, name: "ada" }).createdBy).toBe(ORG_ADMIN);
        // ... their resources, and shares of them into any community of the organization, with no membership at all.
        const ds = ada.create("Dataset", { projectId: w.project.id, name: "ada-data", sizeGb: 1 });
        const share = ada.create("Share", { resourceId: ds.id, resourceKind: "Dataset", communityId: w.defaultCommunityId });
        ada.delete("Share", share.id);
        ada.delete("Dataset", ds.id);
        ada.delete("Community", other.id);
    });

    it("organization members are developers in the default community, and nowhere else", () => {
        const { p, w } = team();
        const mem = p.as(MEMBER);
        denied(p, () => mem.create("Project", { communityId: w.community.id, name: "m" }), /needs the developer role in community "acme-research" \(has no role\)/);
        p.owner.create("BillingLink", { communityId: w.defaultCommunityId, billingAccountId: w.account.id });
        const proj = mem.create("Project", { communityId: w.defaultCommunityId, name: "m" });
        expect(proj.createdBy).toBe(MEMBER);
        // A developer, not more: no granting roles in the default community, no deleting it.
        denied(p, () => mem.create("CommunityMember", { communityId: w.defaultCommunityId, subject: "userAccount:z", role: "viewer" }), /\(has developer\)/);
        denied(p, () => mem.update("Community", w.defaultCommunityId, { description: "x" }), /needs the editor role in community "ACME Team" \(has developer\)/);
        // Any member may found a community; a stranger cannot even see the organization.
        expect(mem.create("Community", { organizationId: w.org.id, name: "members-own", zone: "ru-central1-a" }).createdBy).toBe(MEMBER);
    });

    it("only organization admins manage the organization and its billing accounts", () => {
        const { p, w } = team();
        denied(p, () => p.as(MEMBER).update("Organization", w.org.id, { description: "x" }),
            "userAccount:mem cannot update an organization: it needs to be an organization admin (has member). Ask for it with the organization's admins list.");
        denied(p, () => p.as(ADMIN).create("BillingAccount", { organizationId: w.org.id, name: "mine", status: "active" }), /to be an organization admin \(has member\)/);
        denied(p, () => p.as(MEMBER).update("BillingAccount", w.account.id, { status: "suspended" }), /organization admin/);
        denied(p, () => p.as(VIEWER).delete("Organization", w.org.id), /to be an organization admin \(has no role\)/);
        expect(p.as(ORG_ADMIN).create("BillingAccount", { organizationId: w.org.id, name: "ada", status: "active" }).createdBy).toBe(ORG_ADMIN);
        expect(p.as(ORG_ADMIN).update("Organization", w.org.id, { description: "by ada" }).version).toBe(2);
    });

    it("changing the admins list grants and revokes at once; the owner stays", () => {
        const { p, w } = team();
        p.owner.update("Organization", w.org.id, { admins: [MEMBER], members: [DEV] });
        expect(p.as(MEMBER).create("BillingAccount", { organizationId: w.org.id, name: "by-mem", status: "active" }).createdBy).toBe(MEMBER);
        // ada is on neither list any more and holds no community role: the organization is gone for her.
        expect(expectRefused(p, () => p.as(ORG_ADMIN).create("BillingAccount", { organizationId: w.org.id, name: "by-ada", status: "active" })).code).toBe("NOT_FOUND");
        // dev, a plain member now, still has the explicit community role.
        denied(p, () => p.as(DEV).create("BillingAccount", { organizationId: w.org.id, name: "by-dev", status: "active" }), /\(has member\)/);
        expect(p.owner.update("Organization", w.org.id, { admins: [] }).version).toBe(3);
    });

    it("the owner stays owner whatever the admins and members lists say", () => {
        const { p, w } = team();
        const ownerRole = () => p.db.prepare("SELECT role FROM organization_roles WHERE organization_id = ? AND subject = ?").get(w.org.id, OWNER);
        p.owner.update("Organization", w.org.id, { members: [OWNER, MEMBER] });
        expect(ownerRole()).toEqual({ role: "owner" });
        expect(p.owner.update("Organization", w.org.id, { admins: [OWNER], members: [] }).version).toBe(3);
        expect(ownerRole()).toEqual({ role: "owner" });
        // Dropped from both lists again, the owner keeps the organization.
        expect(p.owner.update("Organization", w.org.id, { admins: [] }).version).toBe(4);
        expect(ownerRole()).toEqual({ role: "owner" });
        expect(p.owner.get("Organization", w.org.id).id).toBe(w.org.id);
    });
});

describe("project roles", () => {
    it("editing or deleting a project needs project editor", () => {
        const { p, w } = team();
        p.owner.create("ProjectMember", { projectId: w.project.id, subject: VIEWER, role: "developer" });
        denied(p, () => p.as(DEV).update("Project", w.project.id, { description: "x" }),
            'userAccount:dev cannot edit a project: it needs the editor role in project "training" (has no role). Ask for it with a ProjectMember from a project admin.');
        denied(p, () => p.as(VIEWER).delete("Project", w.project.id), /cannot delete a project: it needs the editor role in project "training" \(has developer\)/);
        p.owner.create("ProjectMember", { projectId: w.project.id, subject: DEV, role: "editor" });
        expect(p.as(DEV).update("Project", w.project.id, { description: "x" }).version).toBe(2);
        const mine = p.as(EDITOR).create("Project", { communityId: w.community.id, name: "temp" });
        p.owner.create("ProjectMember", { projectId: mine.id, subject: DEV, role: "editor" });
        p.as(DEV).delete("Project", mine.id);
        expect(expectError(() => p.owner.get("Project", mine.id)).code).toBe("NOT_FOUND");
    });

    it("granting project roles needs project admin; the creator and community admins administer a project", () => {
        const { p, w } = team();
        const proj = p.as(DEV).create("Project", { communityId: w.community.id, name: "devs" });
        p.owner.create("ProjectMember", { projectId: w.project.id, subject: DEV, role: "editor" });
        denied(p, () => p.as(DEV).create("ProjectMember", { projectId: w.project.id, subject: "userAccount:z", role: "viewer" }),
            /^userAccount:dev cannot grant project roles: it needs the admin role in project "training" \(has editor\)/);
        const z = p.as(DEV).create("ProjectMember", { projectId: proj.id, subject: "userAccount:z", role: "viewer" });
        denied(p, () => p.as(EDITOR).update("ProjectMember", z.id, { role: "admin" }), /grant project roles: it needs the admin role in project "devs" \(has no role\)/);
        expect(p.as(ADMIN).update("ProjectMember", z.id, { role: "editor" }).spec.role).toBe("editor");
        expect(p.as(ADMIN).update("Project", proj.id, { description: "by admin" }).version).toBe(2);
        p.as(DEV).delete("ProjectMember", z.id);
    });

    it("project resources need project developer", () => {
        const { p, w } = team();
        p.owner.create("ProjectMember", { projectId: w.project.id, subject: VIEWER, role: "viewer" });
        p.owner.create("ProjectMember", { projectId: w.project.id, subject: DEV, role: "developer" });
        denied(p, () => p.as(VIEWER).create("Dataset", { projectId: w.project.id, name: "v", sizeGb: 1 }),
            /^userAccount:viewer cannot create a project resource: it needs the developer role in project "training" \(has viewer\)/);
        // A community editor holds no role in a project someone else created.
        denied(p, () => p.as(EDITOR).create("Secret", { projectId: w.project.id, name: "s", value: "v" }), /\(has no role\)/);
        const ds = p.as(DEV).create("Dataset", { projectId: w.project.id, name: "d", sizeGb: 1 });
        denied(p, () => p.as(VIEWER).update("Dataset", ds.id, { description: "x" }), /cannot update a project resource/);
        denied(p, () => p.as(VIEWER).delete("Dataset", ds.id), /cannot delete a project resource/);
        expect(p.as(VIEWER).get("Dataset", ds.id).id).toBe(ds.id); // viewers see it
        expect(p.as(DEV).update("Dataset", ds.id, { description: "x" }).version).toBe(2);
        p.as(DEV).delete("Dataset", ds.id);
    });

    it("sharing needs project editor AND developer in the target community", () => {
        const { p, w } = team();
        const ds = p.owner.create("Dataset", { projectId: w.project.id, name: "ds", sizeGb: 1 });
        const target = p.owner.create("Community", { organizationId: w.org.id, name: "target", zone: "ru-central1-a" });
        const share = () => p.as(EDITOR).create("Share", { resourceId: ds.id, resourceKind: "Dataset", communityId: target.id });
        denied(p, share, /^userAccount:ed cannot share a project resource: it needs the editor role in project "training" \(has no role\)/);
        p.owner.create("ProjectMember", { projectId: w.project.id, subject: EDITOR, role: "developer" });
        denied(p, share, /share a project resource: it needs the editor role in project "training" \(has developer\)/);
        p.owner.update("ProjectMember", p.owner.list("ProjectMember", { parentId: w.project.id }).items[0].id, { role: "editor" });
        denied(p, share, 'userAccount:ed cannot share into a community: it needs the developer role in community "target" (has no role). Ask for it with a CommunityMember from a community admin.');
        p.owner.create("CommunityMember", { communityId: target.id, subject: EDITOR, role: "viewer" });
        denied(p, share, /share into a community: it needs the developer role in community "target" \(has viewer\)/);
        p.owner.update("CommunityMember", p.owner.list("CommunityMember", { parentId: target.id }).items[0].id, { role: "developer" });
        const made = share();
        expect(made.createdBy).toBe(EDITOR);
        // Removing a share needs project editor as well.
        p.owner.create("ProjectMember", { projectId: w.project.id, subject: DEV, role: "developer" });
        denied(p, () => p.as(DEV).delete("Share", made.id), /^userAccount:dev cannot share a project resource: it needs the editor role in project "training" \(has developer\)/);
        p.as(EDITOR).delete("Share", made.id);
        expect(expectError(() => p.owner.get("Share", made.id)).code).toBe("NOT_FOUND");
    });
});

describe("another organization's objects", () => {
    it("are not found, never forbidden, for every operation", () => {
        const { p, w } = team();
        const ds = p.owner.create("Dataset", { projectId: w.project.id, name: "d", sizeGb: 1 });
        const ck = p.owner.create("Checkpoint", { projectId: w.project.id, name: "c", sourceUri: "s3://c/1" });
        const globex = world(p, "globex"); // the owner's second organization, for cross-organization references
        const stranger = p.as(STRANGER);
        p.as(STRANGER).create("Organization", { name: "initech", displayName: "Initech", defaultZone: "ru-central1-a" });

        const notFound = (fn: () => unknown) => expect(expectRefused(p, fn)).toMatchObject({ code: "NOT_FOUND", message: expect.stringMatching(/not found \(or not visible to userAccount:stranger\)|visible to userAccount:stranger/) });
        for (const [kind, id] of [["Organization", w.org.id], ["Community", w.community.id], ["Project", w.project.id], ["Dataset", ds.id], ["BillingAccount", w.account.id], ["BillingLink", w.link.id]] as const) {
            notFound(() => stranger.get(kind, id));
            notFound(() => stranger.update(kind, id, { description: "x" }));
            notFound(() => stranger.delete(kind, id));
        }
        notFound(() => stranger.create("Community", { organizationId: w.org.id, name: "sneak", zone: "ru-central1-a" }));
        notFound(() => stranger.create("Dataset", { projectId: w.project.id, name: "sneak", sizeGb: 1 }));
        notFound(() => stranger.create("CommunityMember", { communityId: w.community.id, subject: STRANGER, role: "admin" }));
        notFound(() => stranger.list("Dataset", { parentId: w.project.id }));
        notFound(() => p.service.listVersions(STRANGER, ck.id));
        expect(p.service.lookup(STRANGER, "Dataset", { projectId: w.project.id, name: "d" })).toBeUndefined();
        expect(stranger.list("Community").items.map((c) => c.spec.name)).toEqual(["Initech Team"]);
        expect(stranger.list("Dataset").items).toEqual([]);

        // A member of acme only cannot point at globex objects either: they do not exist for it.
        const n = p.owner.create("Node", { projectId: globex.project.id, name: "n", image: "a/b:1", instanceSpec: { cpu: 1, memoryGb: 1 } });
        p.owner.create("ProjectMember", { projectId: w.project.id, subject: DEV, role: "editor" });
        expect(expectRefused(p, () => p.as(DEV).create("Alias", { projectId: w.project.id, name: "a", nodes: [{ nodeId: n.id, weight: 1 }] }))).toMatchObject({
            code: "NOT_FOUND", message: expect.stringMatching(/nodes\.nodeId points at nod\w+, which is not an existing Node visible to userAccount:dev/),
        });
        expect(expectRefused(p, () => p.as(DEV).create("Share", { resourceId: ds.id, resourceKind: "Dataset", communityId: globex.community.id })).code).toBe("NOT_FOUND");
        // The owner of both sees both, and is refused by the rules instead.
        expect(expectRefused(p, () => p.owner.create("Alias", { projectId: w.project.id, name: "a", nodes: [{ nodeId: n.id, weight: 1 }] })).message)
            .toMatch(/nodes\.nodeId points at Node "n" of another project/);
    });

    it("stay invisible to someone who only holds a role in another organization", () => {
        const { p, w } = team();
        const globex = world(p, "globex");
        p.owner.create("CommunityMember", { communityId: globex.community.id, subject: STRANGER, role: "admin" });
        expect(p.as(STRANGER).get("Community", globex.community.id).id).toBe(globex.community.id);
        expect(expectRefused(p, () => p.as(STRANGER).get("Community", w.community.id)).code).toBe("NOT_FOUND");
        expect(p.as(STRANGER).list("Project").items.map((o) => o.id)).toEqual([globex.project.id]);
        expect(p.as(OWNER).list("Project").items).toHaveLength(2);
    });
});
