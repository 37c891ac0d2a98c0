// A project's use of a shared resource on the control plane itself, with no provider in front: only a project of the
// community the resource is shared into may use it (whatever the caller checked before), once per project and
// share; the share, and the project, cannot be deleted while the use exists, and say why; nothing cascades.
import { describe, expect, it } from "vitest";
import { expectRefused, platform, world, type Platform } from "./support";

/** research (acme, ru-central1-a) shares its dataset "images" into production; "serving" is production's project. */
function scene(p: Platform) {
    const w = world(p);
    const production = p.owner.create("Community", { organizationId: w.org.id, name: "production", zone: "ru-central1-a" });
    p.owner.create("BillingLink", { communityId: production.id, billingAccountId: w.account.id });
    const serving = p.owner.create("Project", { communityId: production.id, name: "serving" });
    const images = p.owner.create("Dataset", { projectId: w.project.id, name: "images", sizeGb: 1 });
    const share = p.owner.create("Share", { resourceId: images.id, resourceKind: "Dataset", communityId: production.id });
    return { ...w, production, serving, images, share };
}

describe("using a shared resource in a project at apply time", () => {
    it("adds it to a project of the community it is shared into, with both sides as plan-time facts", () => {
        const p = platform();
        const s = scene(p);
        const use = p.owner.create("SharedResourceUse", { projectId: s.serving.id, shareId: s.share.id });
        expect(use).toMatchObject({ parentId: s.serving.id, organizationId: s.org.id, zone: "ru-central1-a", spec: { projectId: s.serving.id, shareId: s.share.id } });
        expect(use.id).toMatch(/^use/);
        // A read hands back the facts the SDK sends, so a refresh leaves nothing to change.
        expect(use.context).toEqual({
            organization: "acme", zone: "ru-central1-a", projectName: "serving", projectCommunityId: s.production.id, projectCommunityName: "production",
            resourceKind: "Dataset", resourceName: "images", shareCommunityId: s.production.id, communityName: "production",
            communityZone: "ru-central1-a", communityOrganization: "acme",
        });
        expect(p.owner.get("SharedResourceUse", use.id).context).toEqual(use.context);
        // Once per project and share.
        expect(expectRefused(p, () => p.owner.create("SharedResourceUse", { projectId: s.serving.id, shareId: s.share.id })).message)
            .toBe(`SharedResourceUse images in serving already exists in project "serving" (id ${use.id}). It exists already; manage the existing one.`);
    });

    it("refuses a project of another community, naming both communities", () => {
        const p = platform();
        const s = scene(p);
        const other = p.owner.create("Project", { communityId: s.community.id, name: "notebooks" });
        const e = expectRefused(p, () => p.owner.create("SharedResourceUse", { projectId: other.id, shareId: s.share.id }));
        expect(e.code).toBe("FAILED_PRECONDITION");
        expect(e.message).toBe(
            'SharedResourceUse: cannot use Dataset "images" in project "notebooks" of community "acme-research": it is shared into community "production" only, ' +
            'and a project uses only what is shared into its own community. Share it into community "acme-research" as well (another Share), or use it in a project of community "production".',
        );
        expect(e.failures.map((f) => f.property)).toEqual(["project"]);
    });

    it("refuses a project of another zone, naming both zones", () => {
        const p = platform();
        const s = scene(p);
        const east = p.owner.create("Community", { organizationId: s.org.id, name: "east", zone: "ru-central1-b" });
        p.owner.create("BillingLink", { communityId: east.id, billingAccountId: s.account.id });
        const eastern = p.owner.create("Project", { communityId: east.id, name: "eastern" });
        expect(expectRefused(p, () => p.owner.create("SharedResourceUse", { projectId: eastern.id, shareId: s.share.id })).message).toBe(
            'SharedResourceUse: cannot use Dataset "images" in project "eastern" in zone ru-central1-b: it is shared into community "production" in zone ru-central1-a, ' +
            'and a resource is used only in its own availability zone. Use it in a project of community "production".',
        );
    });

    it("refuses a project of another organization: by name to a member of both, as not found to anyone else", () => {
        const p = platform();
        const s = scene(p);
        const globex = world(p, "globex");
        expect(expectRefused(p, () => p.owner.create("SharedResourceUse", { projectId: globex.project.id, shareId: s.share.id })).message).toBe(
            'SharedResourceUse: cannot use Dataset "images" in project "training" of organization "globex": it is shared into community "production" of organization "acme", ' +
            'and resources are never used across organizations. Use it in a project of community "production".',
        );
        // Globex's admin does not see acme's share at all.
        const stranger = p.as("userAccount:globex-admin");
        p.owner.update("Organization", globex.org.id, { admins: ["userAccount:globex-admin"] });
        const e = expectRefused(p, () => stranger.create("SharedResourceUse", { projectId: globex.project.id, shareId: s.share.id }));
        expect(e.code).toBe("NOT_FOUND");
        expect(e.message).toContain(`shareId points at ${s.share.id}, which is not an existing Share visible to userAccount:globex-admin`);
    });

    it("refuses the resource's own project: it needs no share", () => {
        const p = platform();
        const s = scene(p);
        const own = p.owner.create("Share", { resourceId: s.images.id, resourceKind: "Dataset", communityId: s.community.id });
        expect(expectRefused(p, () => p.owner.create("SharedResourceUse", { projectId: s.project.id, shareId: own.id })).message).toBe(
            'SharedResourceUse: cannot use Dataset "images" in project "training": the resource belongs to that project already, and a project uses its own resources without a share. Remove this SharedResourceUse.',
        );
    });

    it("refuses a reference that is no share, and a parent that is no project", () => {
        const p = platform();
        const s = scene(p);
        expect(expectRefused(p, () => p.owner.create("SharedResourceUse", { projectId: s.serving.id, shareId: s.images.id })).code).toBe("NOT_FOUND");
        expect(expectRefused(p, () => p.owner.create("SharedResourceUse", { projectId: s.production.id, shareId: s.share.id })).code).toBe("NOT_FOUND");
    });

    it("needs the developer role in the project, and says what for", () => {
        const p = platform();
        const s = scene(p);
        p.owner.update("Organization", s.org.id, { members: ["userAccount:visitor"] });
        p.owner.create("ProjectMember", { projectId: s.serving.id, subject: "userAccount:visitor", role: "viewer" });
        const e = expectRefused(p, () => p.as("userAccount:visitor").create("SharedResourceUse", { projectId: s.serving.id, shareId: s.share.id }));
        expect(e).toMatchObject({ code: "PERMISSION_DENIED" });
        expect(e.message).toBe('userAccount:visitor cannot add a shared resource to a project: it needs the developer role in project "serving" (has viewer). Ask for it with a ProjectMember from a project admin.');
    });

    it("keeps the share, and the project, while the use exists: deletion is blocked, never cascaded", () => {
        const p = platform();
        const s = scene(p);
        const use = p.owner.create("SharedResourceUse", { projectId: s.serving.id, shareId: s.share.id });
        expect(expectRefused(p, () => p.owner.delete("Share", s.share.id)).message).toBe(
            'Share "images -> production" cannot be deleted while projects use it (1 use: SharedResourceUse "images in serving"). Delete the uses first.',
        );
        expect(expectRefused(p, () => p.owner.delete("Project", s.serving.id)).message).toBe(
            'Project "serving" cannot be deleted while it uses shared resources (1 use: SharedResourceUse "images in serving"). Delete the uses first.',
        );
        // The dataset is held by its share, as before.
        expect(expectRefused(p, () => p.owner.delete("Dataset", s.images.id)).message).toMatch(/^Dataset "images" cannot be deleted while it is shared/);
        // In the order `pulumi destroy` takes (the use depends on the share, the share on the dataset).
        p.owner.delete("SharedResourceUse", use.id);
        p.owner.delete("Share", s.share.id);
        p.owner.delete("Dataset", s.images.id);
        p.owner.delete("Project", s.serving.id);
    });

    it("can never change: an update can only repeat its fields", () => {
        const p = platform();
        const s = scene(p);
        const use = p.owner.create("SharedResourceUse", { projectId: s.serving.id, shareId: s.share.id });
        const other = p.owner.create("Share", { resourceId: s.images.id, resourceKind: "Dataset", communityId: s.org.extra.defaultCommunityId as string });
        expect(expectRefused(p, () => p.owner.update("SharedResourceUse", use.id, { shareId: other.id })).message)
            .toBe(`SharedResourceUse "images in serving": shareId can never change (stored "${s.share.id}", requested "${other.id}"). Create a new SharedResourceUse instead; the provider plans this as a replacement.`);
    });
});
