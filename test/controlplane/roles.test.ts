// Who may do what, through the service with different principals on one database.
import { describe, expect, it } from "vitest";
import { expectError, OWNER, platform, world } from "./support";

function team() {
    const p = platform();
    const w = world(p, "acme", "ru-central1-a", { admins: ["userAccount:ada"], members: ["userAccount:mem", "userAccount:dev", "userAccount:ed", "userAccount:adm"] });
    const grant = (subject: string, role: string) => p.owner.create("CommunityMember", { communityId: w.community.id, subject, role });
    grant("userAccount:viewer", "viewer");
    grant("userAccount:dev", "developer");
    grant("userAccount:ed", "editor");
    grant("userAccount:adm", "admin");
    return { p, w };
}

const denied = (fn: () => unknown, pattern: RegExp) => {
    const e = expectError(fn);
    expect(e.code).toBe("PERMISSION_DENIED");
    expect(e.message).toMatch(pattern);
};

describe("community roles", () => {
    it("creating a project needs community developer", () => {
        const { p, w } = team();
        denied(() => p.as("userAccount:viewer").create("Project", { communityId: w.community.id, name: "v" }),
            /userAccount:viewer cannot create a project: it needs the developer role in community "acme-research" \(has viewer\)/);
        expect(p.as("userAccount:dev").create("Project", { communityId: w.community.id, name: "d" }).createdBy).toBe("userAccount:dev");
    });

    it("billing links and deleting a community need community editor", () => {
        const { p, w } = team();
        const acc2 = p.owner.create("BillingAccount", { organizationId: w.org.id, name: "two", status: "active" });
        denied(() => p.as("userAccount:dev").update("BillingLink", w.link.id, { billingAccountId: acc2.id }), /needs the editor role/);
        expect(p.as("userAccount:ed").update("BillingLink", w.link.id, { billingAccountId: acc2.id }).version).toBe(2);
        const empty = p.owner.create("Community", { organizationId: w.org.id, name: "empty", zone: "ru-central1-a" });
        p.owner.create("CommunityMember", { communityId: empty.id, subject: "userAccount:dev", role: "developer" });
        denied(() => p.as("userAccount:dev").delete("Community", empty.id), /cannot delete a community: it needs the editor role/);
    });

    it("granting community roles needs community admin", () => {
        const { p, w } = team();
        denied(() => p.as("userAccount:ed").create("CommunityMember", { communityId: w.community.id, subject: "userAccount:x", role: "viewer" }), /grant community roles/);
        expect(p.as("userAccount:adm").create("CommunityMember", { communityId: w.community.id, subject: "userAccount:x", role: "viewer" }).spec.role).toBe("viewer");
    });

    it("organization admins are community admins; members are developers in the default community only", () => {
        const { p, w } = team();
        expect(p.as("userAccount:ada").create("CommunityMember", { communityId: w.community.id, subject: "userAccount:y", role: "viewer" })).toBeTruthy();
        denied(() => p.as("userAccount:mem").create("Project", { communityId: w.community.id, name: "m" }), /has no role/);
        // The default community needs billing too before a project can be created there.
        p.owner.create("BillingLink", { communityId: w.defaultCommunityId, billingAccountId: w.account.id });
        expect(p.as("userAccount:mem").create("Project", { communityId: w.defaultCommunityId, name: "m" }).createdBy).toBe("userAccount:mem");
    });

    it("removing one member never touches another's role", () => {
        const { p, w } = team();
        const members = p.owner.list("CommunityMember", { parentId: w.community.id }).items;
        const dev = members.find((m) => m.spec.subject === "userAccount:dev")!;
        p.owner.delete("CommunityMember", dev.id);
        expect(p.owner.list("CommunityMember", { parentId: w.community.id }).items.map((m) => m.spec.subject).sort())
            .toEqual(["userAccount:adm", "userAccount:ed", "userAccount:viewer"]);
        expect(p.as("userAccount:ed").create("Project", { communityId: w.community.id, name: "still-works" })).toBeTruthy();
    });
});

describe("project roles", () => {
    it("editing or deleting a project needs project editor; granting project roles needs project admin", () => {
        const { p, w } = team();
        const proj = p.as("userAccount:dev").create("Project", { communityId: w.community.id, name: "devs" });
        // The creator administers the project; community developers do not edit others' projects.
        denied(() => p.as("userAccount:dev").update("Project", w.project.id, { description: "x" }), /cannot edit a project: it needs the editor role in project "training"/);
        p.owner.create("ProjectMember", { projectId: w.project.id, subject: "userAccount:dev", role: "editor" });
        expect(p.as("userAccount:dev").update("Project", w.project.id, { description: "x" }).version).toBe(2);
        denied(() => p.as("userAccount:dev").create("ProjectMember", { projectId: w.project.id, subject: "userAccount:z", role: "viewer" }), /grant project roles: it needs the admin role/);
        expect(p.as("userAccount:dev").create("ProjectMember", { projectId: proj.id, subject: "userAccount:z", role: "viewer" })).toBeTruthy();
        // Community admins administer every project of the community.
        expect(p.as("userAccount:adm").update("Project", proj.id, { description: "by admin" }).version).toBe(2);
    });

    it("sharing needs project editor AND developer in the target community", () => {
        const { p, w } = team();
        const ds = p.owner.create("Dataset", { projectId: w.project.id, name: "ds", sizeGb: 1 });
        const target = p.owner.create("Community", { organizationId: w.org.id, name: "target", zone: "ru-central1-a" });
        const share = () => p.as("userAccount:ed").create("Share", { resourceId: ds.id, resourceKind: "Dataset", communityId: target.id });
        denied(share, /share a project resource: it needs the editor role in project "training"/);
        p.owner.create("ProjectMember", { projectId: w.project.id, subject: "userAccount:ed", role: "editor" });
        denied(share, /share into a community: it needs the developer role in community "target" \(has no role\)/);
        p.owner.create("CommunityMember", { communityId: target.id, subject: "userAccount:ed", role: "developer" });
        expect(share().createdBy).toBe("userAccount:ed");
    });
});

describe("organizations", () => {
    it("another organization's objects are not found, never forbidden", () => {
        const { p, w } = team();
        const stranger = p.as("userAccount:stranger");
        for (const [kind, id] of [["Organization", w.org.id], ["Community", w.community.id], ["Project", w.project.id]] as const) {
            expect(expectError(() => stranger.get(kind, id)).code).toBe("NOT_FOUND");
            expect(expectError(() => stranger.delete(kind, id)).code).toBe("NOT_FOUND");
        }
        expect(expectError(() => stranger.create("Community", { organizationId: w.org.id, name: "sneak", zone: "ru-central1-a" })).code).toBe("NOT_FOUND");
        expect(stranger.list("Community").items).toEqual([]);
        expect(p.owner.list("Community").items.length).toBeGreaterThan(0);
    });

    it("only organization admins manage the organization and its billing accounts", () => {
        const { p, w } = team();
        denied(() => p.as("userAccount:mem").update("Organization", w.org.id, { description: "x" }), /to be an organization admin/);
        denied(() => p.as("userAccount:mem").create("BillingAccount", { organizationId: w.org.id, name: "mine", status: "active" }), /organization admin/);
        expect(p.as("userAccount:ada").create("BillingAccount", { organizationId: w.org.id, name: "ada", status: "active" }).createdBy).toBe("userAccount:ada");
        expect(p.owner.get("Organization", w.org.id).createdBy).toBe(OWNER);
    });
});
