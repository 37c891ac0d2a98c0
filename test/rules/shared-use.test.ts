// useFailures: a shared resource is used only in a project of the community it is shared into (ProjectService
// .AddResource), decided from plain facts, undecided where a fact is still unknown in preview; and the same rule
// through check, where the failure is on the program's `project` and the facts' own failures on `project` or
// `share`, the argument they are read from.
import { describe, expect, it } from "vitest";
import { EXAMPLE_INPUTS } from "../../provider/model/examples";
import { UNKNOWN } from "../../provider/model/unknown";
import { check } from "../../provider/plan/check";
import { EMULATOR_IDS } from "../../provider/model/ids";
import { tellUseField, UseFacts, useFailures } from "../../provider/rules/shared-use";

const COM_A = "comaaaaaaaaaaaaaaaaa";
const COM_B = "combbbbbbbbbbbbbbbbb";
/** Dataset "images" of research, shared into research; the project "serving" is in research too. */
const ok: UseFacts = {
    projectName: "serving", organization: "acme", zone: "ru-central1-a", projectCommunityId: COM_A, projectCommunityName: "research",
    resourceKind: "Dataset", resourceName: "images", shareCommunityId: COM_A, communityName: "research", communityZone: "ru-central1-a", communityOrganization: "acme",
};
const reasons = (facts: UseFacts) => useFailures(facts).map((f) => f.reason);

describe("useFailures", () => {
    it("lets a project of the community the resource is shared into use it", () => {
        expect(useFailures(ok)).toEqual([]);
    });

    it.each([
        ["another community, told by id", { projectCommunityId: COM_B, projectCommunityName: "production" },
            'cannot use Dataset "images" in project "serving" of community "production": it is shared into community "research" only, and a project uses only what is shared into its own community. Share it into community "production" as well (another Share), or use it in a project of community "research".'],
        ["another community, told by name while the ids are unknown (preview)", { projectCommunityId: UNKNOWN, shareCommunityId: UNKNOWN, projectCommunityName: "production" },
            'cannot use Dataset "images" in project "serving" of community "production": it is shared into community "research" only'],
        ["another community of a project read with get (no community name)", { projectCommunityId: COM_B, projectCommunityName: undefined },
            'cannot use Dataset "images" in project "serving": it is shared into community "research" only, and a project uses only what is shared into its own community. Share it into the project\'s community as well (another Share), or use it in a project of community "research".'],
        ["another zone", { zone: "ru-central1-b", projectCommunityId: COM_B, projectCommunityName: "east" },
            'cannot use Dataset "images" in project "serving" in zone ru-central1-b: it is shared into community "research" in zone ru-central1-a, and a resource is used only in its own availability zone. Use it in a project of community "research".'],
        ["another organization", { organization: "globex", projectCommunityId: COM_B, projectCommunityName: "globex-team" },
            'cannot use Dataset "images" in project "serving" of organization "globex": it is shared into community "research" of organization "acme", and resources are never used across organizations. Use it in a project of community "research".'],
    ] as const)("refuses a project of %s, naming both sides", (_case, change, reason) => {
        const failures = useFailures({ ...ok, ...change });
        expect(failures).toHaveLength(1);
        expect(failures[0].property).toBe("project");
        expect(failures[0].reason.startsWith(reason)).toBe(true);
    });

    it("says another organization and another zone both, and not the community besides", () => {
        const failures = useFailures({ ...ok, organization: "globex", zone: "ru-central1-d", projectCommunityId: COM_B });
        expect(failures.map((f) => f.reason.match(/never used across organizations|only in its own availability zone|only what is shared/)?.[0])).toEqual([
            "never used across organizations", "only in its own availability zone",
        ]);
    });

    it("decides by id where both ids are known, even when a name differs (a community renamed in the same run)", () => {
        expect(useFailures({ ...ok, projectCommunityName: "research-renamed" })).toEqual([]);
    });

    it("refuses the project the resource belongs to (known at apply time)", () => {
        const prj = "prjaaaaaaaaaaaaaaaaa";
        expect(reasons({ ...ok, projectId: prj, resourceProjectId: prj })).toEqual([
            'cannot use Dataset "images" in project "serving": the resource belongs to that project already, and a project uses its own resources without a share. Remove this SharedResourceUse.',
        ]);
        expect(useFailures({ ...ok, projectId: prj, resourceProjectId: "prjbbbbbbbbbbbbbbbbb" })).toEqual([]);
    });

    // A fact unknown in preview leaves the rules that need it undecided, and is never shown as Pulumi's sentinel.
    it.each([
        ["organization", { organization: UNKNOWN, projectCommunityId: UNKNOWN, projectCommunityName: UNKNOWN }],
        ["zone", { zone: UNKNOWN, projectCommunityId: UNKNOWN, projectCommunityName: UNKNOWN }],
        ["both communities", { projectCommunityId: UNKNOWN, projectCommunityName: undefined }],
    ] as const)("leaves undecided what depends on an unknown %s", (_fact, unknown) => {
        const wrong: UseFacts = { ...ok, organization: "globex", zone: "ru-central1-b", projectCommunityId: COM_B, projectCommunityName: "production" };
        const failures = useFailures({ ...wrong, ...unknown });
        for (const f of failures) expect(f.reason).not.toContain(UNKNOWN);
        expect(failures.length).toBeLessThan(useFailures(wrong).length + 1);
        expect(useFailures({ ...ok, ...unknown })).toEqual([]);
    });

    it("decides nothing while every fact is unknown or missing", () => {
        expect(useFailures(Object.fromEntries(Object.keys(ok).map((k) => [k, UNKNOWN])))).toEqual([]);
        expect(useFailures({})).toEqual([]);
    });

    it("shows an unknown name as ?, and a secret one as [secret], still comparing it", () => {
        expect(reasons({ ...ok, resourceName: UNKNOWN, zone: "ru-central1-b" })[0]).toMatch(/^cannot use Dataset "\?" in project "serving" in zone ru-central1-b/);
        const [hidden] = useFailures({ ...ok, organization: "globex" }, (fact) => fact === "organization");
        expect(hidden.reason).toContain("of organization [secret]: it is shared");
        expect(hidden.reason).not.toContain("globex");
    });
});

describe("tellUseField", () => {
    it.each([
        ["projectName", "project", "name must be"],
        ["projectCommunityId", "project", "communityId must be"],
        ["projectCommunityName", "project", "community's name must be"],
        ["zone", "project", "zone must be"],
        ["communityZone", "share", "communityZone must be"],
        ["shareCommunityId", "share", "communityId must be"],
        ["resourceKind", "share", "resourceKind must be"],
    ])("tells a failure of %s on %s", (field, property, reason) => {
        expect(tellUseField({ property: field, reason: "must be right" })).toEqual({ property, reason: reason.replace("must be", "must be right") });
    });

    it("leaves the use's own fields alone (check names them by their arguments)", () => {
        expect(tellUseField({ property: "shareId", reason: "r" })).toEqual({ property: "shareId", reason: "r" });
    });
});

describe("the rule in check (preview)", () => {
    const run = (change: Record<string, unknown>) =>
        check("SharedResourceUse", {}, { __provider: "text", __owner: "urn:pulumi:dev::p::pulumi-nodejs:dynamic/mlplatform:SharedResourceUse::use", ...EXAMPLE_INPUTS.SharedResourceUse, ...change }, () => "abc1234", EMULATOR_IDS);

    it("passes the example, ids unknown as in a first preview", () => {
        expect(run({}).failures).toEqual([]);
        expect(run({ projectId: UNKNOWN, shareId: UNKNOWN, projectCommunityId: UNKNOWN, shareCommunityId: UNKNOWN }).failures).toEqual([]);
    });

    it("refuses a project of another community before anything exists, on `project`", () => {
        const { failures } = run({ projectId: UNKNOWN, shareId: UNKNOWN, projectCommunityId: UNKNOWN, shareCommunityId: UNKNOWN, projectCommunityName: "production" });
        expect(failures).toEqual([{
            property: "project",
            reason: 'cannot use Dataset "train" in project "serving" of community "production": it is shared into community "research" only, and a project uses only what is shared into its own community. Share it into community "production" as well (another Share), or use it in a project of community "research".',
        }]);
    });

    it("tells bad facts and ids in the program's words", () => {
        const { failures } = run({ communityZone: "ru-central9-x", projectId: "serving", shareId: 7 });
        expect(failures.map((f) => [f.property, f.reason.split(",")[0]])).toEqual([
            ["project", "must be an id issued by the platform (3-letter prefix + 17 characters)"],
            ["share", "must be a string"],
            ["share", "communityZone must be an availability zone of the platform"],
            // Like a share's, the zone is still compared: it is another zone whatever else is wrong with it.
            ["project", 'cannot use Dataset "train" in project "serving" in zone ru-central1-a: it is shared into community "research" in zone ru-central9-x'],
        ]);
    });

    it("refuses a field it does not know, and every field of a use replaces it", () => {
        expect(run({ resourceId: "dtsaaaaaaaaaaaaaaaaa" }).failures.map((f) => f.property)).toEqual(["resourceId"]);
    });
});
