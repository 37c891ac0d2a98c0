// The pure plan engine's diff and update patch. Table-driven.
import { describe, expect, it } from "vitest";
import { diff, patchOf } from "../../provider/plan/diff";
import { KindName, KINDS } from "../../provider/model/kinds";
import { autoName, ownedSuffix } from "../../provider/plan/names";
import { UNKNOWN } from "../../provider/model/unknown";

const community = { organizationId: "orgaaaaaaaaaaaaaaaaa", organization: "acme", name: "research", zone: "ru-central1-a", __provider: "p1" };
const dataset = { projectId: "prjaaaaaaaaaaaaaaaaa", organization: "acme", zone: "ru-central1-a", name: "train-abc1234", __autonamed: true, sizeGb: 10 };
// An autonamed dataset whose name was decided from its owner: what check decides for it (names.ts).
const ownerUrn = "urn:pulumi:dev::team::pulumi-nodejs:dynamic/mlplatform:Dataset::train";
const ownedBase = { ...dataset, __owner: ownerUrn };
const owned = { ...ownedBase, name: autoName("train", () => ownedSuffix(KINDS.Dataset, ownerUrn, ownedBase)) };
// An organization's name also depends on the acting subject, which diff does not know (names.ts).
const ownedOrg = { name: "acme-k3y9z8q", __autonamed: true, displayName: "Acme", defaultZone: "ru-central1-a", __owner: "urn:pulumi:dev::team::pulumi-nodejs:dynamic/mlplatform:Organization::acme" };
const member = { communityId: "comaaaaaaaaaaaaaaaaa", subject: "userAccount:a", role: "viewer" };
const share = { resourceId: "dtsaaaaaaaaaaaaaaaaa", resourceKind: "Dataset", communityId: "comaaaaaaaaaaaaaaaaa" };

describe("diff", () => {
    const cases: [string, KindName, Record<string, unknown>, Record<string, unknown>, { changes: boolean; replaces: string[]; deleteBeforeReplace: boolean; changed?: string[] }][] = [
        ["equal values", "Community", community, { ...community }, { changes: false, replaces: [], deleteBeforeReplace: true }],
        ["provider upgrade only", "Community", community, { ...community, __provider: "p2" }, { changes: false, replaces: [], deleteBeforeReplace: true }],
        ["computed outputs in olds", "Community", { ...community, version: 4, createdAt: "t" }, community, { changes: false, replaces: [], deleteBeforeReplace: true }],
        ["null and absent are the same", "Community", { ...community, description: null }, community, { changes: false, replaces: [], deleteBeforeReplace: true }],
        ["label order does not matter", "Community", { ...community, labels: { a: "1", b: "2" } }, { ...community, labels: { b: "2", a: "1" } }, { changes: false, replaces: [], deleteBeforeReplace: true }],
        ["mutable field", "Community", community, { ...community, description: "x" }, { changes: true, replaces: [], deleteBeforeReplace: true, changed: ["description"] }],
        ["rename", "Community", community, { ...community, name: "other" }, { changes: true, replaces: [], deleteBeforeReplace: false, changed: ["name"] }],
        ["zone change keeps the name: delete first", "Community", community, { ...community, zone: "ru-central1-b" }, { changes: true, replaces: ["zone"], deleteBeforeReplace: true }],
        ["zone change with a new name: create first", "Community", community, { ...community, zone: "ru-central1-b", name: "r2" }, { changes: true, replaces: ["zone"], deleteBeforeReplace: false }],
        ["organization change", "Community", community, { ...community, organizationId: "orgbbbbbbbbbbbbbbbbb" }, { changes: true, replaces: ["organizationId"], deleteBeforeReplace: false }],
        ["unknown immutable value replaces", "Community", community, { ...community, zone: UNKNOWN }, { changes: true, replaces: ["zone"], deleteBeforeReplace: false }],
        ["autonamed replacement: create first", "Dataset", dataset, { ...dataset, sizeGb: 20 }, { changes: true, replaces: ["sizeGb"], deleteBeforeReplace: false }],
        ["explicit-name replacement: delete first", "Dataset", { ...dataset, __autonamed: undefined }, { ...dataset, __autonamed: undefined, sizeGb: 20 }, { changes: true, replaces: ["sizeGb"], deleteBeforeReplace: true }],
        ["project move", "Dataset", dataset, { ...dataset, projectId: "prjbbbbbbbbbbbbbbbbb" }, { changes: true, replaces: ["projectId"], deleteBeforeReplace: false }],
        ["member role change is in place", "CommunityMember", member, { ...member, role: "admin" }, { changes: true, replaces: [], deleteBeforeReplace: true }],
        ["member subject change", "CommunityMember", member, { ...member, subject: "userAccount:b" }, { changes: true, replaces: ["subject"], deleteBeforeReplace: false }],
        ["share to another community", "Share", share, { ...share, communityId: "combbbbbbbbbbbbbbbbb" }, { changes: true, replaces: ["communityId"], deleteBeforeReplace: false }],
        ["secret rotation is in place", "Secret", { ...dataset, sizeGb: undefined, value: "a" }, { ...dataset, sizeGb: undefined, value: "b" }, { changes: true, replaces: [], deleteBeforeReplace: false, changed: ["value"] }],
        ["autonamed, owned: a changed seeding field gives a fresh name, create first", "Dataset", owned, { ...owned, sizeGb: 20 }, { changes: true, replaces: ["sizeGb"], deleteBeforeReplace: false }],
        ["autonamed, owned: a forced replacement keeps the name, delete first", "Dataset", owned, { ...owned }, { changes: false, replaces: [], deleteBeforeReplace: true }],
        ["autonamed, owned: a description change would keep the name", "Dataset", owned, { ...owned, description: "x" }, { changes: true, replaces: [], deleteBeforeReplace: true }],
        ["autonamed, owned: an unknown seeding field plans a fresh name", "Dataset", owned, { ...owned, sizeGb: UNKNOWN }, { changes: true, replaces: ["sizeGb"], deleteBeforeReplace: false }],
        ["autonamed, owned: another project keeps the name, create first", "Dataset", owned, { ...owned, projectId: "prjbbbbbbbbbbbbbbbbb" }, { changes: true, replaces: ["projectId"], deleteBeforeReplace: false }],
        ["autonamed organization: a forced replacement keeps the name, delete first", "Organization", ownedOrg, { ...ownedOrg }, { changes: false, replaces: [], deleteBeforeReplace: true }],
        ["autonamed organization: another default zone gives a fresh name, create first", "Organization", ownedOrg, { ...ownedOrg, defaultZone: "ru-central1-b" }, { changes: true, replaces: ["defaultZone"], deleteBeforeReplace: false }],
    ];
    it.each(cases)("%s", (_label, kind, olds, news, expected) => {
        const d = diff(kind, olds, news);
        expect({ changes: d.changes, replaces: d.replaces, deleteBeforeReplace: d.deleteBeforeReplace }).toEqual({
            changes: expected.changes, replaces: expected.replaces, deleteBeforeReplace: expected.deleteBeforeReplace,
        });
        if (expected.changed) expect(d.changed).toEqual(expected.changed);
    });
});

describe("patchOf", () => {
    it("sends only changed mutable fields, and null for removed ones", () => {
        const olds = { ...community, description: "d", labels: { a: "1" } };
        const news = { ...community, labels: { a: "2" } };
        expect(patchOf(diff("Community", olds, news), news)).toEqual({ description: null, labels: { a: "2" } });
    });
    it("never sends immutable fields", () => {
        const news = { ...community, zone: "ru-central1-b", description: "x" };
        expect(patchOf(diff("Community", community, news), news)).toEqual({ description: "x" });
    });
    it("sends a field that can never change, unchanged, when only its secrecy changed (an update, not a replacement)", () => {
        const olds = { ...dataset, description: "d" };
        const news = { ...olds, __secretInputs: ["sizeGb", "description"] };
        const d = diff("Dataset", olds, news);
        expect({ changed: d.changed, replaces: d.replaces }).toEqual({ changed: ["description", "sizeGb"], replaces: [] });
        expect(patchOf(d, news)).toEqual({ description: "d", sizeGb: 10 });
    });
});
