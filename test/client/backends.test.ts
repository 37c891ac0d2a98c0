// What each backend supports, checked at plan time: in the datasphere mode the kinds the API cannot create fail
// in preview naming the mode, the kind and what to do instead; the id fields take the platform's ids, a name is refused; the billing
// link rule is the platform's there; a field the API has not is refused. The other backends check as before.
import { describe, expect, it } from "vitest";
import { checkForBackend, DATASPHERE, DATASPHERE_IDS, dataSphereCreateRefusal, idShapeOf, unreadableFields } from "../../provider/client/backends";
import { memberId, parseMemberId, parseReferenceId, parseUseId, referenceId, shareId, useId } from "../../provider/client/datasphere/mapping";
import { idFormOf } from "../../provider/model/ids";
import { KIND_NAMES, KindName, KINDS } from "../../provider/model/kinds";
import { check } from "../../provider/plan/check";
import { UNKNOWN } from "../../provider/model/unknown";

const OWNER = (kind: string, name: string) => `urn:pulumi:dev::ds::pulumi-nodejs:dynamic/mlplatform:${kind}::${name}`;
const run = (mode: "embedded" | "http" | "datasphere", kind: KindName, news: Record<string, unknown>, olds: Record<string, unknown> = {}) =>
    checkForBackend(mode, kind, olds, news, (given, ids) => check(kind, olds, given, () => "abc123", ids));

// Ids as Yandex Cloud issues them: 20 lowercase letters and digits, not the emulator's shape.
const ORG = "bpf0a1b2c3d4e5f6g7h8";
const COMMUNITY = "bt10ucqmsce4fb05g4u1";
const PROJECT = "bt29vk8r0l1m2n3o4p5q";
const DATASET = "dt10abcdefghij012345";

describe("the datasphere mode at plan time", () => {
    it("refuses, by kind, what the API cannot create, naming the mode and what to do", () => {
        const reasons = Object.fromEntries(KIND_NAMES.map((k) => [k, dataSphereCreateRefusal(k)]));
        expect(reasons.Organization).toMatch(/^Organization cannot be created in datasphere mode \(mlplatform:backend datasphere\): Yandex Cloud has no API that creates organizations\. Read an existing one: ml\.Organization\.get\("<name>", "<organization id>"\)/);
        expect(reasons.BillingAccount).toMatch(/ml\.BillingAccount\.get/);
        expect(reasons.BillingLink).toMatch(/^BillingLink cannot be declared in datasphere mode .*only when the community is created.*new ml\.Community\("<name>", \{ \.\.\., billingAccount: ml\.BillingAccount\.get\("<name>", "<billing account id>"\) \}\)/);
        for (const k of ["Dataset", "Secret", "DockerImage", "S3Connector", "Node", "Alias"]) {
            expect(reasons[k]).toMatch(new RegExp(`^${k} cannot be created in datasphere mode .*share it by reference: ml\\.${k}\\.get\\("<name>", "<project id>/<${k} id>"\\)`));
        }
        for (const k of ["DataProcTemplate", "Model", "SparkConnector", "Checkpoint"]) expect(reasons[k]).toMatch(new RegExp(`^${k} is not available in datasphere mode .*has no call for a ${k}`));
        for (const k of ["Community", "Project", "CommunityMember", "ProjectMember", "Share"]) expect(reasons[k]).toBeUndefined();
        // A kind without a line (declared after the table was written) is unavailable until it is given one.
        for (const k of KIND_NAMES.filter((k) => !DATASPHERE[k])) expect(reasons[k]).toMatch(new RegExp(`^${k} is not available in datasphere mode`));
        const refused = run("datasphere", "Organization", { displayName: "Acme", defaultZone: "ru-central1-a", __owner: OWNER("Organization", "acme") });
        expect(refused.failures).toEqual([{ property: "", reason: reasons.Organization }]);
    });

    it("holds the id fields to the platform's ids, and shows them as they are in any failure", () => {
        const ok = run("datasphere", "Community", { organizationId: ORG, zone: "ru-central1-a", organization: "acme", __owner: OWNER("Community", "research") });
        expect(ok.failures).toEqual([]);
        expect(ok.inputs.organizationId).toBe(ORG);
        const bad = run("datasphere", "Project", { communityId: COMMUNITY, name: "Bad_Name", organization: "acme", zone: "ru-central1-a", __owner: OWNER("Project", "p") });
        expect(bad.failures.map((f) => f.property)).toEqual(["name"]);
        expect(bad.inputs.communityId).toBe(COMMUNITY);
        // The embedded backend still checks its own id shape, in its own words.
        expect(run("embedded", "Community", { organizationId: ORG, zone: "ru-central1-a", organization: "acme", __owner: OWNER("Community", "research") }).failures).toEqual([{
            property: "organization",
            reason: `must be an id issued by the platform (3-letter prefix + 17 characters), got "${ORG}". Pass the id of an existing object, e.g. \`community.id\`.`,
        }]);
    });

    it("refuses a name where an id belongs, naming the field, the value and the shape of DataSphere's ids", () => {
        const member = { subject: "userAccount:alice", role: "viewer", organization: "acme" };
        expect(run("datasphere", "CommunityMember", { ...member, communityId: "research" }).failures).toEqual([{
            property: "community",
            reason: 'must be a Community id of DataSphere (mlplatform:backend datasphere), 20 lowercase letters and digits, got "research". '
                + 'Pass the community itself, or read an existing one by its id as the DataSphere UI or yc shows it, not by its name: ml.Community.get("<name>", "<community id>").',
        }]);
        // The same name on the embedded backend: its message, as it always was.
        expect(run("embedded", "CommunityMember", { ...member, communityId: "research" }).failures).toEqual([{
            property: "community",
            reason: 'must be an id issued by the platform (3-letter prefix + 17 characters), got "research". Pass the id of an existing object, e.g. `community.id`.',
        }]);
        // A resource named without its project, and a share named by a plain id, fail with the composite shape.
        const share = { resourceKind: "Dataset", communityId: COMMUNITY, resourceName: "features", resourceZone: "ru-central1-a", resourceOrganization: "acme", communityName: "east", communityZone: "ru-central1-a", communityOrganization: "acme" };
        const named = run("datasphere", "Share", { ...share, resourceId: "features" });
        expect(named.failures).toEqual([{
            property: "resource",
            reason: 'id must be a resource id of DataSphere (mlplatform:backend datasphere), <project id>/<resource id> (each 20 lowercase letters and digits), got "features". '
                + 'Read the resource by its project\'s id and its own, as the DataSphere UI shows them, e.g. ml.Dataset.get("<name>", "<project id>/<dataset id>").',
        }]);
        expect(run("datasphere", "Share", { ...share, resourceId: DATASET }).failures[0].reason).toMatch(/<project id>\/<resource id>.*got "dt10abcdefghij012345"/);
        const use = run("datasphere", "SharedResourceUse", { projectId: PROJECT, shareId: COMMUNITY, organization: "acme", zone: "ru-central1-a" });
        expect(use.failures.map((f) => [f.property, f.reason.split(", got")[0]])).toEqual([["share", "must be a Share id of DataSphere (mlplatform:backend datasphere), <community id>/<kind>/<project id>/<resource id>"]]);
        // An id a character short is no id either; one unknown in preview is left to `up`.
        expect(run("datasphere", "CommunityMember", { ...member, communityId: COMMUNITY.slice(1) }).failures.map((f) => f.property)).toEqual(["community"]);
        expect(run("datasphere", "CommunityMember", { ...member, communityId: UNKNOWN }).failures).toEqual([]);
    });

    it("names in its id shape exactly the ids the datasphere client makes", () => {
        const subject = "userAccount:aje0a1b2c3d4e5f6g7h8";
        const made: [KindName, string][] = [
            ["Community", COMMUNITY], ["Project", PROJECT], ["Organization", ORG],
            ["Dataset", referenceId(PROJECT, DATASET)], ["CommunityMember", memberId(COMMUNITY, subject)], ["ProjectMember", memberId(PROJECT, subject)],
            ["Share", shareId(COMMUNITY, "Dataset", referenceId(PROJECT, DATASET))], ["SharedResourceUse", useId(PROJECT, shareId(COMMUNITY, "Dataset", referenceId(PROJECT, DATASET)))],
        ];
        for (const [kind, id] of made) expect(idFormOf(DATASPHERE_IDS, kind).pattern.test(id), `${kind} ${id}`).toBe(true);
        // And what the shape accepts, the client reads back.
        expect(parseReferenceId("Dataset", referenceId(PROJECT, DATASET))).toEqual({ projectId: PROJECT, resourceId: DATASET });
        expect(parseMemberId("CommunityMember", memberId(COMMUNITY, subject))).toEqual({ resourceId: COMMUNITY, subject });
        expect(parseUseId(made[7][1]).shareId).toBe(made[6][1]);
        // What a state holds is read whatever its ids' length (the API allows up to 50 characters): were it taken for
        // NOT_FOUND, refresh would drop an object that exists, and destroy leave it on the platform.
        const longer = `${PROJECT}x`;
        expect(parseReferenceId("Dataset", referenceId(longer, DATASET))).toEqual({ projectId: longer, resourceId: DATASET });
        expect(parseMemberId("ProjectMember", memberId("prj12", subject))).toEqual({ resourceId: "prj12", subject });
        expect(() => parseReferenceId("Dataset", "research")).toThrow(/no Dataset id of the datasphere backend/);
        // A name is no id of any kind there; every id of the emulator's shape is one of the platform's shape as well.
        for (const kind of KIND_NAMES) expect(idFormOf(DATASPHERE_IDS, kind).pattern.test("research")).toBe(false);
        expect(idShapeOf("embedded")).toBe(idShapeOf("http"));
    });

    it("shares a resource named by its project, and still refuses a share across zones in preview", () => {
        const base = { resourceId: `${PROJECT}/${DATASET}`, resourceKind: "Dataset", communityId: COMMUNITY, resourceName: DATASET, resourceOrganization: "acme", communityName: "east", communityOrganization: "acme", __owner: OWNER("Share", "s") };
        expect(run("datasphere", "Share", { ...base, resourceZone: "ru-central1-a", communityZone: "ru-central1-a" }).failures).toEqual([]);
        const cross = run("datasphere", "Share", { ...base, resourceZone: "ru-central1-a", communityZone: "ru-central1-b" });
        expect(cross.failures.map((f) => f.reason).join("\n")).toMatch(new RegExp(`cannot share Dataset "${DATASET}" in zone ru-central1-a into community "east" in zone ru-central1-b`));
        expect(cross.inputs.resourceId).toBe(`${PROJECT}/${DATASET}`);
    });

    it("lets a use of a share name the share by the id the client gave it", () => {
        const share = `${COMMUNITY}/Dataset/${PROJECT}/${DATASET}`;
        const news = {
            projectId: "bt2servingproject001", shareId: share, organization: "acme", zone: "ru-central1-a", projectName: "serving", projectCommunityId: COMMUNITY,
            resourceKind: "Dataset", resourceName: DATASET, shareCommunityId: COMMUNITY, communityName: "production", communityZone: "ru-central1-a", communityOrganization: "acme",
        };
        const result = run("datasphere", "SharedResourceUse", news);
        expect(result.failures).toEqual([]);
        expect(result.inputs).toMatchObject({ shareId: share, projectCommunityId: COMMUNITY, shareCommunityId: COMMUNITY });
        // The rule still compares the communities: another community is refused, in the platform's ids.
        const other = run("datasphere", "SharedResourceUse", { ...news, projectCommunityId: "bt1anothercommunity0" });
        expect(other.failures.map((f) => f.reason).join("\n")).toMatch(/cannot use Dataset "dt10abcdefghij012345" in project "serving": it is shared into community "production" only/);
        expect(other.failures.map((f) => f.reason).join("\n")).not.toMatch(/ext[a-z2-7]{17}/);
    });

    it("leaves the billing link to the platform: a project of a community the program creates needs no BillingLink", () => {
        const news = { communityId: COMMUNITY, organization: "acme", zone: "ru-central1-a", communityBillingLinked: false, communityName: "research", __owner: OWNER("Project", "training") };
        expect(run("datasphere", "Project", news).failures).toEqual([]);
        expect(run("datasphere", "Project", news).inputs.communityBillingLinked).toBe(false);
        expect(run("embedded", "Project", { ...news, communityId: "comaaaaaaaaaaaaaaaaa" }).failures.map((f) => f.reason).join()).toMatch(/has no billing account in this program/);
    });

    it("sends a community's billing account when it is created, and refuses a change of it, never planning a replacement", () => {
        const ACCOUNT = "dn20abcdefghijklmnop";
        const OTHER = "dn29zyxwvutsrqponmlk";
        const research = { organizationId: ORG, zone: "ru-central1-a", organization: "acme", __owner: OWNER("Community", "research") };
        const created = run("datasphere", "Community", { ...research, billingAccountId: ACCOUNT });
        expect(created.failures).toEqual([]);
        expect(created.inputs.billingAccountId).toBe(ACCOUNT);
        const state = { ...created.inputs };
        expect(run("datasphere", "Community", { ...research, billingAccountId: ACCOUNT }, state).failures).toEqual([]);
        const changed = run("datasphere", "Community", { ...research, billingAccountId: OTHER }, state);
        expect(changed.failures).toEqual([{
            property: "billingAccount",
            reason: `cannot change in datasphere mode (mlplatform:backend datasphere), got "${OTHER}" for "${ACCOUNT}": DataSphere's API sets billingAccountId only when the community `
                + "is created and has no call that reads or changes it, and the community is never replaced for it. Put the old value back; to change it on the platform, "
                + 'do it in the DataSphere UI and keep the old value here (or add ignoreChanges: ["billingAccountId"] to the resource\'s options).',
        }]);
        // Removed or added later is a change too; unknown in preview is left to the check of `up`.
        expect(run("datasphere", "Community", research, state).failures[0].reason).toMatch(/^cannot change .*got nothing for "dn20/);
        expect(run("datasphere", "Community", { ...research, billingAccountId: ACCOUNT }, { ...state, billingAccountId: undefined }).failures[0].reason).toMatch(/got "dn20abcdefghijklmnop" for nothing/);
        expect(run("datasphere", "Community", { ...research, billingAccountId: UNKNOWN }, state).failures).toEqual([]);
        // A community replaced anyway (another zone) is created anew, with the new account.
        expect(run("datasphere", "Community", { ...research, zone: "ru-central1-b", billingAccountId: OTHER }, state).failures).toEqual([]);
        // The other backends re-point billing in place.
        const embedded = { ...research, organizationId: "orgaaaaaaaaaaaaaaaaa" };
        expect(run("embedded", "Community", { ...embedded, billingAccountId: "blabbbbbbbbbbbbbbbbb" }, { ...embedded, billingAccountId: "blaaaaaaaaaaaaaaaaaa" }).failures).toEqual([]);
    });

    it("keeps on refresh only what the backend cannot read back", () => {
        expect(unreadableFields("datasphere", "Community")).toEqual(["billingAccountId"]);
        for (const kind of KIND_NAMES.filter((k) => k !== "Community")) expect(unreadableFields("datasphere", kind)).toEqual([]);
        for (const mode of ["embedded", "http"] as const) expect(unreadableFields(mode, "Community")).toEqual([]);
    });

    it("names only fields of the kind as the ones the API manages (any other field set is refused in this mode)", () => {
        for (const [kind, support] of Object.entries(DATASPHERE)) {
            if (support?.mode !== "managed") continue;
            expect(support.fields.filter((f) => !(f in KINDS[kind as KindName].spec.shape))).toEqual([]);
            expect((support.createOnly ?? []).filter((f) => !support.fields.includes(f))).toEqual([]);
        }
    });
});

describe("the other backends", () => {
    it("check exactly as the kind's check does", () => {
        const news = { displayName: "Acme", defaultZone: "ru-central1-a", __owner: OWNER("Organization", "acme") };
        for (const mode of ["embedded", "http"] as const) expect(run(mode, "Organization", news)).toEqual(check("Organization", {}, news, () => "abc123", idShapeOf(mode)));
    });
});
