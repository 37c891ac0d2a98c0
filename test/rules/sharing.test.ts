// shareFailures: the platform's sharing rules (same organization AND same zone, shareable kinds only), decided
// from plain facts and left undecided where a fact is still unknown in preview. Failures are on the share's ends
// as a program passes them, `resource` and `community`, and name both sides.
import { describe, expect, it } from "vitest";
import { SHAREABLE_KINDS } from "../../provider/model/kinds";
import { UNKNOWN } from "../../provider/model/unknown";
import { SHARE_ENDS, ShareFacts, shareFailures } from "../../provider/rules/sharing";

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
            property: "resource",
            reason: `must be a Dataset, Secret, DockerImage, S3Connector, Node or Alias, got ${kind} "train". The platform shares only those kinds: pass one of them as resource, or remove this Share.`,
        }]);
    });

    it("refuses another zone, naming both zones and both names", () => {
        expect(shareFailures({ ...ok, communityZone: "ru-central1-d" })).toEqual([{
            property: "community",
            reason: 'cannot share Dataset "train" in zone ru-central1-a into community "research" in zone ru-central1-d: a resource can be shared only into a community of its own availability zone. Share into a community in ru-central1-a, or create the resource in a project of a ru-central1-d community.',
        }]);
    });

    it("refuses another organization, naming both organizations and both names", () => {
        expect(shareFailures({ ...ok, resourceKind: "Secret", resourceName: "token", communityOrganization: "globex" })).toEqual([{
            property: "community",
            reason: 'cannot share Secret "token" of organization "acme" into community "research" of organization "globex": resources are never shared across organizations. Share into a community of organization "acme".',
        }]);
    });

    it("reports every broken rule at once", () => {
        expect(properties(allWrong)).toEqual(["resource", "community", "community"]);
        expect(shareFailures(allWrong).map((f) => f.reason.split(" ")[0])).toEqual(["must", "cannot", "cannot"]);
    });

    // A fact unknown in preview leaves the rules that need it undecided; the other rules still decide.
    const rules = (facts: ShareFacts) => shareFailures(facts).map((f) => (/ zone /.test(f.reason) ? "zone" : / organization /.test(f.reason) ? "organization" : "kind"));
    it.each([
        ["resourceKind", ["organization", "zone"]],
        ["resourceOrganization", ["kind", "zone"]],
        ["communityOrganization", ["kind", "zone"]],
        ["resourceZone", ["kind", "organization"]],
        ["communityZone", ["kind", "organization"]],
    ] as const)("an unknown %s leaves its rule undecided", (fact, remaining) => {
        const failures = shareFailures({ ...allWrong, [fact]: SENTINEL });
        expect(rules({ ...allWrong, [fact]: SENTINEL })).toEqual(remaining);
        for (const f of failures) expect(f.reason).not.toContain(SENTINEL);
        // Missing altogether (not given at all) is just as undecided.
        expect(rules({ ...allWrong, [fact]: undefined })).toEqual(remaining);
    });

    it("decides nothing while every fact is unknown", () => {
        const unknown = Object.fromEntries(Object.keys(ok).map((k) => [k, SENTINEL]));
        expect(shareFailures(unknown)).toEqual([]);
        expect(shareFailures({})).toEqual([]);
    });

    it("finds the sentinel nested inside a value too", () => {
        expect(rules({ ...allWrong, communityZone: [SENTINEL] })).not.toContain("zone");
    });

    it("still decides when only the names are unknown, and never prints the sentinel", () => {
        const failures = shareFailures({ ...allWrong, resourceName: SENTINEL, communityName: SENTINEL });
        expect(failures.map((f) => f.property)).toEqual(["resource", "community", "community"]);
        for (const f of failures) expect(f.reason).not.toContain(SENTINEL);
        expect(failures[2].reason).toMatch(/^cannot share Model "\?" in zone ru-central1-a into community "\?" in zone ru-central1-b/);
    });

    it("compares zones and organizations exactly", () => {
        expect(rules({ ...ok, communityZone: "RU-CENTRAL1-A" })).toEqual(["zone"]);
        expect(rules({ ...ok, communityOrganization: "acme " })).toEqual(["organization"]);
    });

    it("never reports a field the SDK derives: only the ends a program passes", () => {
        for (const facts of [allWrong, { ...allWrong, resourceName: SENTINEL }, { ...ok, communityZone: "ru-central1-b" }]) {
            for (const f of shareFailures(facts)) expect(["resource", "community"]).toContain(f.property);
        }
        expect(Object.values(SHARE_ENDS).map((e) => e.end).sort()).toEqual([...Array(4).fill("community"), ...Array(5).fill("resource")]);
    });

    it("hides the facts that arrived secret, and still decides on them", () => {
        const secretFacts = new Set(["resourceName", "communityOrganization", "communityZone", "resourceZone"]);
        const failures = shareFailures({ ...allWrong, resourceName: "hunter2", communityOrganization: "hunter2-org", communityZone: "ru-central1-b" },
            (fact) => secretFacts.has(fact));
        expect(failures.map((f) => f.property)).toEqual(["resource", "community", "community"]);
        expect(failures[0].reason).toContain("got Model [secret].");
        expect(failures[1].reason).toBe('cannot share Model [secret] of organization "acme" into community "research" of organization [secret]: resources are never shared across organizations. Share into a community of organization "acme".');
        expect(failures[2].reason).toMatch(/^cannot share Model \[secret\] in zone \[secret\] into community "research" in zone \[secret\]: /);
        for (const f of failures) expect(f.reason).not.toMatch(/hunter2|ru-central1-b/);
    });
});
