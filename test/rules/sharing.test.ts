// shareFailures: the platform's sharing rules (same organization AND same zone, shareable kinds only), decided
// from plain facts and left undecided where a fact is still unknown in preview.
import { describe, expect, it } from "vitest";
import { SHAREABLE_KINDS } from "../../provider/model/kinds";
import { UNKNOWN } from "../../provider/plan/unknown";
import { ShareFacts, shareFailures } from "../../provider/rules/sharing";

const SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const ok: ShareFacts = {
    resourceKind: "Dataset", resourceName: "train", resourceZone: "ru-central1-a", resourceOrganization: "acme",
    communityName: "research", communityZone: "ru-central1-a", communityOrganization: "acme",
};
/** Every rule broken at once: a non-shareable kind, another organization, another zone. */
const allWrong: ShareFacts = { ...ok, resourceKind: "Model", communityOrganization: "globex", communityZone: "ru-central1-b" };

const properties = (facts: ShareFacts) => shareFailures(facts).map((f) => f.property);

describe("shareFailures", () => {
    it("uses the very sentinel Pulumi sends for unknown values", () => {
        expect(UNKNOWN).toBe(SENTINEL);
    });

    it.each(SHAREABLE_KINDS)("shares a %s within one organization and zone", (kind) => {
        expect(shareFailures({ ...ok, resourceKind: kind })).toEqual([]);
    });

    it.each(["Model", "Checkpoint", "Project", "Community", "SparkConnector", "DataProcTemplate", "Share", "dataset"])("refuses to share a %s", (kind) => {
        const failures = shareFailures({ ...ok, resourceKind: kind });
        expect(failures).toEqual([{
            property: "resourceKind",
            reason: `${kind} cannot be shared: the platform shares only Dataset, Secret, DockerImage, S3Connector, Node, Alias. Remove this Share.`,
        }]);
    });

    it("refuses another zone, naming both zones and both names", () => {
        expect(shareFailures({ ...ok, communityZone: "ru-central1-d" })).toEqual([{
            property: "communityZone",
            reason: 'cannot share Dataset "train" in zone ru-central1-a into community "research" in zone ru-central1-d: a resource can be shared only into a community of its own availability zone. Share into a community in ru-central1-a, or create the resource in a project of a ru-central1-d community.',
        }]);
    });

    it("refuses another organization, naming both organizations and both names", () => {
        expect(shareFailures({ ...ok, resourceKind: "Secret", resourceName: "token", communityOrganization: "globex" })).toEqual([{
            property: "communityOrganization",
            reason: 'cannot share Secret "token" of organization "acme" into community "research" of organization "globex": resources are never shared across organizations. Share into a community of organization "acme".',
        }]);
    });

    it("reports every broken rule at once", () => {
        expect(properties(allWrong)).toEqual(["resourceKind", "communityOrganization", "communityZone"]);
    });

    // A fact unknown in preview leaves the rules that need it undecided; the other rules still decide.
    it.each([
        ["resourceKind", ["communityOrganization", "communityZone"]],
        ["resourceOrganization", ["resourceKind", "communityZone"]],
        ["communityOrganization", ["resourceKind", "communityZone"]],
        ["resourceZone", ["resourceKind", "communityOrganization"]],
        ["communityZone", ["resourceKind", "communityOrganization"]],
    ] as const)("an unknown %s leaves its rule undecided", (fact, remaining) => {
        const failures = shareFailures({ ...allWrong, [fact]: SENTINEL });
        expect(failures.map((f) => f.property)).toEqual(remaining);
        for (const f of failures) expect(f.reason).not.toContain(SENTINEL);
        // Missing altogether (not given at all) is just as undecided.
        expect(properties({ ...allWrong, [fact]: undefined })).toEqual(remaining);
    });

    it("decides nothing while every fact is unknown", () => {
        const unknown = Object.fromEntries(Object.keys(ok).map((k) => [k, SENTINEL]));
        expect(shareFailures(unknown)).toEqual([]);
        expect(shareFailures({})).toEqual([]);
    });

    it("finds the sentinel nested inside a value too", () => {
        expect(properties({ ...allWrong, communityZone: [SENTINEL] })).not.toContain("communityZone");
    });

    it("still decides when only the names are unknown, and never prints the sentinel", () => {
        const failures = shareFailures({ ...allWrong, resourceName: SENTINEL, communityName: SENTINEL });
        expect(failures.map((f) => f.property)).toEqual(["resourceKind", "communityOrganization", "communityZone"]);
        for (const f of failures) expect(f.reason).not.toContain(SENTINEL);
        expect(failures[2].reason).toMatch(/^cannot share Model "\?" in zone ru-central1-a into community "\?" in zone ru-central1-b/);
    });

    it("compares zones and organizations exactly", () => {
        expect(properties({ ...ok, communityZone: "RU-CENTRAL1-A" })).toEqual(["communityZone"]);
        expect(properties({ ...ok, communityOrganization: "acme " })).toEqual(["communityOrganization"]);
    });
});
