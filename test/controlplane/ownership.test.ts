// Who manages an object, enforced by the service itself: taking an object over needs the right to change it, a
// renamed stack keeps its objects, and a sealed value is not shown when a change is refused.
import { describe, expect, it } from "vitest";
import { expectError, OWNER, platform, world } from "./support";

const urn = (stack: string, project: string, kind: string, name: string) => `urn:pulumi:${stack}::${project}::pulumi-nodejs:dynamic/mlplatform:${kind}::${name}`;

describe("ownership in the service", () => {
    it("lets only a principal who may change an object take it over with adopt", () => {
        const p = platform();
        const w = world(p, "acme", "ru-central1-a", { members: ["userAccount:bob"] });
        const adminUrn = urn("prod", "infra", "Community", "research");
        const managed = p.service.create(OWNER, { kind: "Community", spec: { organizationId: w.org.id, name: "managed", zone: "ru-central1-a" }, owner: adminUrn });
        // bob may create communities (an organization member) but not edit this one: adopt would hand it to him.
        const e = expectError(() => p.service.create("userAccount:bob", {
            kind: "Community", spec: { organizationId: w.org.id, name: "managed", zone: "ru-central1-a" },
            owner: urn("dev", "bobs", "Community", "research"), adopt: adminUrn,
        }));
        expect(e.code).toBe("PERMISSION_DENIED");
        expect(p.service.get(OWNER, "Community", managed.id).owner).toBe(adminUrn);
    });

    it("keeps a stack's objects when the stack or project is renamed: its update names the URN its state recorded", () => {
        const p = platform();
        const w = world(p);
        const before = urn("dev", "team", "Dataset", "d");
        const ds = p.service.create(OWNER, { kind: "Dataset", spec: { projectId: w.project.id, name: "d", sizeGb: 1 }, owner: before });
        const after = urn("prod", "team-renamed", "Dataset", "d");
        expect(expectError(() => p.service.update(OWNER, { kind: "Dataset", id: ds.id, patch: { description: "x" }, owner: after })).code).toBe("FAILED_PRECONDITION");
        const updated = p.service.update(OWNER, { kind: "Dataset", id: ds.id, patch: { description: "x" }, owner: after, previousOwner: before });
        expect(updated.owner).toBe(after);
        // Another stack cannot claim to be the former owner of an object that is no longer recorded as its.
        expect(expectError(() => p.service.update(OWNER, { kind: "Dataset", id: ds.id, patch: { description: "y" }, owner: urn("x", "other", "Dataset", "d"), previousOwner: before })).code).toBe("FAILED_PRECONDITION");
    });

    it("never shows a sealed value in the refusal of a change that can never be made", () => {
        const p = platform();
        const w = world(p);
        const ds = p.service.create(OWNER, { kind: "Dataset", spec: { projectId: w.project.id, name: "d", sizeGb: 777 }, secretFields: ["sizeGb"] });
        const e = expectError(() => p.service.update(OWNER, { kind: "Dataset", id: ds.id, patch: { sizeGb: 1 } }));
        expect(e.code).toBe("FAILED_PRECONDITION");
        expect(e.message).toContain("sizeGb can never change (stored [secret], requested [secret])");
        expect(e.message).not.toContain("777");
    });

    it("refuses an owner URN that is not one, and takes a logical name with spaces", () => {
        const p = platform();
        const w = world(p);
        expect(expectError(() => p.service.create(OWNER, { kind: "Dataset", spec: { projectId: w.project.id, name: "a", sizeGb: 1 }, owner: "alice" })).code).toBe("INVALID_ARGUMENT");
        expect(p.service.create(OWNER, { kind: "Dataset", spec: { projectId: w.project.id, name: "b", sizeGb: 1 }, owner: urn("dev", "team", "Dataset", "my data set") }).owner).toContain("my data set");
    });
});
