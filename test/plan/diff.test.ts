// The pure plan engine's diff and update patch. Table-driven.
import { describe, expect, it } from "vitest";
import { diff, patchOf } from "../../provider/plan/diff";
import { KindName } from "../../provider/model/kinds";
import { UNKNOWN } from "../../provider/plan/unknown";

const community = { organizationId: "orgaaaaaaaaaaaaaaaaa", organization: "acme", name: "research", zone: "ru-central1-a", __provider: "p1" };
const dataset = { projectId: "prjaaaaaaaaaaaaaaaaa", organization: "acme", zone: "ru-central1-a", name: "train-abc1234", __autonamed: true, sizeGb: 10 };
const member = { communityId: "comaaaaaaaaaaaaaaaaa", subject: "userAccount:a", role: "viewer" };
const share = { resourceId: "dtsaaaaaaaaaaaaaaaaa", resourceKind: "Dataset", communityId: "comaaaaaaaaaaaaaaaaa" };

describe("diff", () => {
    const cases: [string, KindName, Record<string, unknown>, Record<string, unknown>, { changes: boolean; replaces: string[]; deleteBeforeReplace: boolean; changed?: string[] }][] = [
        ["equal values", "Community", community, { ...community }, { changes: false, replaces: [], deleteBeforeReplace: false }],
        ["provider upgrade only", "Community", community, { ...community, __provider: "p2" }, { changes: false, replaces: [], deleteBeforeReplace: false }],
        ["computed outputs in olds", "Community", { ...community, version: 4, createdAt: "t" }, community, { changes: false, replaces: [], deleteBeforeReplace: false }],
        ["null and absent are the same", "Community", { ...community, description: null }, community, { changes: false, replaces: [], deleteBeforeReplace: false }],
        ["label order does not matter", "Community", { ...community, labels: { a: "1", b: "2" } }, { ...community, labels: { b: "2", a: "1" } }, { changes: false, replaces: [], deleteBeforeReplace: false }],
        ["mutable field", "Community", community, { ...community, description: "x" }, { changes: true, replaces: [], deleteBeforeReplace: false, changed: ["description"] }],
        ["rename", "Community", community, { ...community, name: "other" }, { changes: true, replaces: [], deleteBeforeReplace: false, changed: ["name"] }],
        ["zone change keeps the name: delete first", "Community", community, { ...community, zone: "ru-central1-b" }, { changes: true, replaces: ["zone"], deleteBeforeReplace: true }],
        ["zone change with a new name: create first", "Community", community, { ...community, zone: "ru-central1-b", name: "r2" }, { changes: true, replaces: ["zone"], deleteBeforeReplace: false }],
        ["organization change", "Community", community, { ...community, organizationId: "orgbbbbbbbbbbbbbbbbb" }, { changes: true, replaces: ["organizationId"], deleteBeforeReplace: false }],
        ["unknown immutable value replaces", "Community", community, { ...community, zone: UNKNOWN }, { changes: true, replaces: ["zone"], deleteBeforeReplace: false }],
        ["autonamed replacement: create first", "Dataset", dataset, { ...dataset, sizeGb: 20 }, { changes: true, replaces: ["sizeGb"], deleteBeforeReplace: false }],
        ["explicit-name replacement: delete first", "Dataset", { ...dataset, __autonamed: undefined }, { ...dataset, __autonamed: undefined, sizeGb: 20 }, { changes: true, replaces: ["sizeGb"], deleteBeforeReplace: true }],
        ["project move", "Dataset", dataset, { ...dataset, projectId: "prjbbbbbbbbbbbbbbbbb" }, { changes: true, replaces: ["projectId"], deleteBeforeReplace: false }],
        ["member role change is in place", "CommunityMember", member, { ...member, role: "admin" }, { changes: true, replaces: [], deleteBeforeReplace: false }],
        ["member subject change", "CommunityMember", member, { ...member, subject: "userAccount:b" }, { changes: true, replaces: ["subject"], deleteBeforeReplace: false }],
        ["share to another community", "Share", share, { ...share, communityId: "combbbbbbbbbbbbbbbbb" }, { changes: true, replaces: ["communityId"], deleteBeforeReplace: false }],
        ["secret rotation is in place", "Secret", { ...dataset, sizeGb: undefined, value: "a" }, { ...dataset, sizeGb: undefined, value: "b" }, { changes: true, replaces: [], deleteBeforeReplace: false, changed: ["value"] }],
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
        expect(patchOf("Community", olds, { ...community, labels: { a: "2" } })).toEqual({ description: null, labels: { a: "2" } });
    });
    it("never sends immutable fields", () => {
        expect(patchOf("Community", community, { ...community, zone: "ru-central1-b", description: "x" })).toEqual({ description: "x" });
    });
});
