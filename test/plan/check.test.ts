// The pure plan engine's check: schema + rules, autonaming, unknowns. Table-driven.
import { describe, expect, it } from "vitest";
import { check } from "../../provider/plan/check";
import { EMULATOR_IDS } from "../../provider/model/ids";
import { KIND_NAMES, KindName } from "../../provider/model/kinds";
import { UNKNOWN } from "../../provider/model/unknown";
import { EXAMPLE_INPUTS } from "../../provider/model/examples";

const suffix = () => "abc1234";
const VALID = EXAMPLE_INPUTS;

const run = (kind: KindName, news: Record<string, unknown>, olds: Record<string, unknown> = {}) =>
    check(kind, olds, { __logicalName: "my_Resource", __provider: "text", ...news }, suffix, EMULATOR_IDS);

describe("check accepts valid inputs of every kind", () => {
    it.each(KIND_NAMES)("%s", (kind) => {
        const { failures, inputs } = run(kind, VALID[kind]);
        expect(failures).toEqual([]);
        expect(inputs.__provider).toBe("text");
    });
});

describe("check autonames once", () => {
    it("derives a pattern-safe name from the logical name", () => {
        expect(run("Dataset", VALID.Dataset).inputs).toMatchObject({ name: "my-resource-abc1234", __autonamed: true });
    });
    it("keeps the chosen name on later runs", () => {
        const olds = { name: "my-resource-zzz9999", __autonamed: true };
        expect(run("Dataset", VALID.Dataset, olds).inputs.name).toBe("my-resource-zzz9999");
    });
    it("uses an explicit name and forgets autonaming", () => {
        const r = run("Dataset", { ...VALID.Dataset, name: "fixed" }, { name: "old-abc", __autonamed: true });
        expect(r.inputs.name).toBe("fixed");
        expect(r.inputs.__autonamed).toBeUndefined();
    });
    it("names nothing for kinds without a name", () => {
        expect(run("CommunityMember", VALID.CommunityMember).inputs.name).toBeUndefined();
    });
});

describe("check reports bad input with property paths", () => {
    const cases: [KindName, Record<string, unknown>, string, RegExp][] = [
        ["Community", { zone: "mars-1" }, "zone", /^must be an availability zone of the platform, got "mars-1"\. Use ru-central1-a, ru-central1-b or ru-central1-d\.$/],
        ["Community", { zone: "ru-central9-x" }, "zone", /^must be an availability zone of the platform, got "ru-central9-x"\. Use ru-central1-a, ru-central1-b or ru-central1-d\.$/],
        ["Community", { zone: "ru-central1-c" }, "zone", /\(ru-central1-c is retired\), got "ru-central1-c"/],
        ["Organization", { defaultZone: "ru-central9-x" }, "defaultZone", /availability zone of the platform, got "ru-central9-x"/],
        ["Node", { instanceZone: "ru-central9-x" }, "instanceZone", /availability zone of the platform, got "ru-central9-x"/],
        ["Dataset", { zone: "ru-central9-x" }, "zone", /availability zone of the platform, got "ru-central9-x"/],
        ["Community", { name: "has space" }, "name", /without whitespace/],
        ["Project", { name: "Upper" }, "name", /lowercase/],
        ["Project", { limits: { maxUnitsPerHour: -1 } }, "limits.maxUnitsPerHour", /must not be negative, got -1/],
        ["Project", { settings: { ide: "VSCODE" } }, "settings.ide", /must be JUPYTER_LAB/],
        ["Project", { settings: { idee: "JUPYTER_LAB" } }, "settings", /unknown key "idee"/],
        ["Dataset", { sizeGb: 1.5 }, "sizeGb", /whole number, got 1.5/],
        ["Dataset", { sizeGb: "10" }, "sizeGb", /must be a number/],
        ["Dataset", { description: "x".repeat(257) }, "description", /at most 256/],
        ["Dataset", { labels: { "9bad": "v" } }, "labels.9bad", /label keys/],
        ["Dataset", { colour: 1 }, "colour", /is not a property of Dataset/],
        ["Dataset", { sizegb: 1 }, "sizegb", /Did you mean "sizeGb"/],
        ["CommunityMember", { role: "owner" }, "role", /viewer, developer, editor, admin/],
        ["CommunityMember", { subject: "alice" }, "subject", /userAccount:<id>/],
        ["S3Connector", { endpoint: "ftp://x" }, "endpoint", /https or http URL/],
        ["DockerImage", { image: "UPPER/Case" }, "image", /Docker image reference/],
        ["Alias", { nodes: [] }, "nodes", /at least one node/],
        ["Node", { image: undefined }, "image", /exactly one of image/],
        ["SparkConnector", { cluster: { type: "existing" } }, "cluster.clusterId", /required|must be/],
        ["Share", { resourceKind: "Model" }, "resource", /^must be a Dataset, Secret, DockerImage, S3Connector, Node or Alias, got Model "train"\. /],
        ["Share", { communityZone: "ru-central1-b" }, "community", /zone ru-central1-a into community "research" in zone ru-central1-b/],
        ["Share", { communityOrganization: "globex" }, "community", /organization "acme" into community "research" of organization "globex"/],
        ["Share", { communityZone: "ru-central9-x" }, "community", /^zone must be an availability zone of the platform, got "ru-central9-x"\./],
        ["Share", { resourceOrganization: "Acme Corp" }, "resource", /^organization must be 1-63 lowercase letters/],
        ["Share", { communityId: "research" }, "community", /^id must be an id issued by the platform/],
        ["Alias", { nodes: [{ nodeId: "nodaaaaaaaaaaaaaaaaa", weight: 1 }, { nodeId: "nodaaaaaaaaaaaaaaaaa", weight: 2 }] }, "nodes.1", /^repeats the node of nodes\.0/],
        // In the program's words: the SDK's Node takes `model`, an object, where the platform stores modelId.
        ["Node", { modelId: "mdlaaaaaaaaaaaaaaaaa" }, "model", /cannot be set together with image/],
    ];
    it.each(cases)("%s %j -> %s", (kind, change, property, reason) => {
        const { failures } = run(kind, { ...VALID[kind], ...change });
        const failure = failures.find((f) => f.property === property);
        expect(failure, JSON.stringify(failures)).toBeDefined();
        expect(failure!.reason).toMatch(reason);
    });

    it("reports a missing required field", () => {
        const { sizeGb: _, ...rest } = VALID.Dataset as any;
        expect(run("Dataset", rest).failures).toContainEqual({ property: "sizeGb", reason: expect.stringMatching(/^is required/) });
    });

    it("never throws, whatever arrives", () => {
        for (const junk of [{ sizeGb: null }, { labels: "x" }, { labels: [1] }, { nodes: { a: 1 } }, { settings: 5 }, { projectId: 42 }]) {
            for (const kind of KIND_NAMES) expect(() => run(kind, { ...VALID[kind], ...junk })).not.toThrow();
        }
    });
});

describe("check with preview unknowns", () => {
    it("takes unknown values as present", () => {
        expect(run("Dataset", { ...VALID.Dataset, projectId: UNKNOWN, sizeGb: UNKNOWN }).failures).toEqual([]);
        expect(run("Secret", { ...VALID.Secret, value: UNKNOWN }).failures).toEqual([]);
        expect(run("Alias", { ...VALID.Alias, nodes: [{ nodeId: UNKNOWN, weight: 1 }] }).failures).toEqual([]);
        expect(run("Alias", { ...VALID.Alias, nodes: [{ nodeId: UNKNOWN, weight: 1 }, { nodeId: UNKNOWN, weight: 1 }] }).failures).toEqual([]);
        // The same Node resource twice, before it has an id: the SDK says so, and check refuses in preview.
        const twice = run("Alias", { ...VALID.Alias, nodes: [{ nodeId: UNKNOWN, weight: 1 }, { nodeId: UNKNOWN, weight: 2 }], __repeats: [0, 0] });
        expect(twice.failures).toEqual([{ property: "nodes.1", reason: "repeats the node of nodes.0, got the same Node resource. List each node once and give it the combined weight." }]);
        // Once the ids are known, the repeat is reported once, by id.
        const known = run("Alias", { ...VALID.Alias, nodes: [{ nodeId: "nodaaaaaaaaaaaaaaaaa", weight: 1 }, { nodeId: "nodaaaaaaaaaaaaaaaaa", weight: 2 }], __repeats: [0, 0] });
        expect(known.failures.map((f) => f.property)).toEqual(["nodes.1"]);
        expect(run("Node", { ...VALID.Node, image: undefined, modelId: UNKNOWN }).failures).toEqual([]);
        expect(run("Project", { ...VALID.Project, communityId: UNKNOWN, zone: UNKNOWN, organization: UNKNOWN }).failures).toEqual([]);
    });

    it("leaves a share rule undecided when one side is unknown, and decides the other", () => {
        const r = run("Share", { ...VALID.Share, communityZone: UNKNOWN, communityOrganization: "globex" });
        expect(r.failures.map((f) => f.property)).toEqual(["community"]);
        expect(r.failures[0].reason).toMatch(/of organization "globex"/);
    });

    // What preview let through and up then refused, after creating other objects: each fails in check now.
    const nodes = (n: number, id: unknown = UNKNOWN) => Array.from({ length: n }, () => ({ nodeId: id, weight: 1 }));
    it.each([
        ["an alias of 11 nodes not created yet", "Alias", { nodes: nodes(11) },
            [["nodes", "must list at most 10 nodes, got a list of 11. Remove 1 of them."]]],
        ["an alias repeating a known node next to unknown ones", "Alias", { nodes: [...nodes(2), ...nodes(2, "nodaaaaaaaaaaaaaaaaa")] },
            [["nodes.3", 'repeats the node of nodes.2, got "nodaaaaaaaaaaaaaaaaa". List each node once and give it the combined weight.']]],
        ["a node with an image and a model not created yet", "Node", { modelId: UNKNOWN },
            [["model", "cannot be set together with image. Set exactly one of image or model."]]],
        ["a node with a bad known field next to an unknown one", "Node", { instanceSpec: { cpu: UNKNOWN, memoryGb: 1000 } },
            [["instanceSpec.memoryGb", "must be at most 512, got 1000. Set a whole number of gigabytes between 1 and 512."]]],
        ["a community in a zone that does not exist, its organization not created yet", "Community", { organizationId: UNKNOWN, zone: "ru-central9-x" },
            [["zone", 'must be an availability zone of the platform, got "ru-central9-x". Use ru-central1-a, ru-central1-b or ru-central1-d.']]],
    ] as const)("refuses %s", (_label, kind, change, expected) => {
        expect(run(kind, { ...VALID[kind], ...change }).failures.map((f) => [f.property, f.reason])).toEqual(expected);
    });

    it("never shows the sentinel, whatever is unknown", () => {
        const deepUnknown = (v: unknown): unknown =>
            Array.isArray(v) ? v.map(deepUnknown) : v !== null && typeof v === "object" ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, deepUnknown(x)])) : UNKNOWN;
        for (const kind of KIND_NAMES) {
            expect(run(kind, deepUnknown(VALID[kind]) as Record<string, unknown>).failures.filter((f) => f.property !== "model")).toEqual([]);
            const bad = { ...(deepUnknown(VALID[kind]) as Record<string, unknown>), nodes: nodes(12), admins: [UNKNOWN, UNKNOWN, 1], zone: "x", labels: { team: UNKNOWN, X: UNKNOWN } };
            for (const f of run(kind, bad).failures) expect(f.reason, `${kind} ${f.property}`).not.toContain(UNKNOWN);
        }
    });
});

describe("check reports every problem at once", () => {
    const nodes = (n: number, id: unknown) => Array.from({ length: n }, () => ({ nodeId: id, weight: 1 }));

    it("runs the cross-field rules even when fields are bad", () => {
        const r = run("Node", { ...VALID.Node, modelId: UNKNOWN, instanceSpec: { cpu: 0, memoryGb: 1 }, replicas: 99, colour: "red" });
        expect(r.failures.map((f) => f.property)).toEqual(["colour", "instanceSpec.cpu", "replicas", "model"]);
    });

    it("reports a list's length, its bad items and its repeats together", () => {
        const list = [...nodes(9, "nodaaaaaaaaaaaaaaaaa"), { nodeId: "x", weight: 0 }, { nodeId: UNKNOWN, weight: 1 }];
        expect(run("Alias", { ...VALID.Alias, nodes: list }).failures.map((f) => f.property)).toEqual([
            "nodes", "nodes.9.node", "nodes.9.weight", ...Array.from({ length: 8 }, (_, i) => `nodes.${i + 1}`),
        ]);
    });

    it("reports a bad share's fields and its rules together, on the share's ends", () => {
        const r = run("Share", { ...VALID.Share, resourceKind: "Model", communityZone: "ru-central1-b", communityOrganization: "Globex", communityId: "x" });
        expect(r.failures.map((f) => [f.property, f.reason.split(",")[0]])).toEqual([
            ["community", "id must be an id issued by the platform (3-letter prefix + 17 characters)"],
            ["community", "organization must be 1-63 lowercase letters"],
            ["resource", "must be a Dataset"],
            ["community", 'cannot share Model "train" of organization "acme" into community "research" of organization "Globex": resources are never shared across organizations. Share into a community of organization "acme".'],
            ["community", "cannot share Model \"train\" in zone ru-central1-a into community \"research\" in zone ru-central1-b: a resource can be shared only into a community of its own availability zone. Share into a community in ru-central1-a"],
        ]);
    });
});

describe("check of a share speaks of its ends, resource and community", () => {
    const INTERNAL = ["resourceId", "resourceKind", "resourceName", "resourceZone", "resourceOrganization", "communityId", "communityName", "communityZone", "communityOrganization"];

    it.each([
        ["a Model", { resourceKind: "Model", resourceName: "m" }, "resource", 'must be a Dataset, Secret, DockerImage, S3Connector, Node or Alias, got Model "m". The platform shares only those kinds: pass one of them as resource, or remove this Share.'],
        ["a Project", { resourceKind: "Project", resourceName: "p" }, "resource", 'must be a Dataset, Secret, DockerImage, S3Connector, Node or Alias, got Project "p".'],
        ["a Model not created yet", { resourceKind: "Model", resourceName: UNKNOWN, resourceId: UNKNOWN }, "resource", 'got Model "?".'],
    ])("refuses to share %s once, as a failure", (_label, change, property, reason) => {
        const { failures } = run("Share", { ...VALID.Share, ...change });
        expect(failures).toHaveLength(1);
        expect(failures[0].property).toBe(property);
        expect(failures[0].reason).toContain(reason);
    });

    it("still requires a kind when none is given", () => {
        const { resourceKind: _, ...rest } = VALID.Share as any;
        expect(run("Share", rest).failures).toEqual([{ property: "resource", reason: "kind is required. Share only Dataset, Secret, DockerImage, S3Connector, Node, Alias." }]);
    });

    it("never reports an internal field", () => {
        const bad = [
            { resourceKind: "Model" }, { resourceKind: 5 }, { resourceZone: "x" }, { communityZone: "ru-central9-x" }, { communityOrganization: "Globex" },
            { resourceOrganization: "globex" }, { communityName: "" }, { resourceName: 3 }, { resourceId: "x", communityId: "y" }, { communityZone: "ru-central1-b" },
        ];
        for (const change of bad) {
            const { failures } = run("Share", { ...VALID.Share, ...change });
            expect(failures.length, JSON.stringify(change)).toBeGreaterThan(0);
            for (const f of failures) {
                expect(["resource", "community"], JSON.stringify(change)).toContain(f.property);
                for (const field of INTERNAL) expect(f.property).not.toBe(field);
            }
        }
    });
});

describe("check of a project whose community the program leaves without a billing link", () => {
    it.each([
        [true, []],
        [undefined, []],
        [UNKNOWN, []],
        [false, ["community"]],
    ] as const)("communityBillingLinked %s -> %j", (linked, properties) => {
        const { failures } = run("Project", { ...VALID.Project, communityBillingLinked: linked });
        expect(failures.map((f) => f.property)).toEqual(properties);
    });

    it("says what is missing and how to fix it, with the other problems", () => {
        const { failures } = run("Project", { ...VALID.Project, communityBillingLinked: false, unitBalance: -1 });
        expect(failures.map((f) => f.property)).toEqual(["unitBalance", "community"]);
        expect(failures[1].reason).toMatch(/^has no billing account in this program, got the project's community created without billingAccount and with no BillingLink declared before this project\. .*with `billingAccount`, or declare a BillingLink .*dependsOn: \[link\]/);
    });
});

describe("check never shows a value that arrived secret", () => {
    const SECRET = "hunter2";
    const secretly = (kind: KindName, change: Record<string, unknown>, secretInputs: unknown) =>
        run(kind, { ...VALID[kind], ...change, __secretInputs: secretInputs }).failures;
    const expectHidden = (failures: { property: string; reason: string }[], count: number) => {
        expect(failures).toHaveLength(count);
        for (const f of failures) {
            expect(f.reason, f.property).toContain("[secret]");
            expect(f.reason.toLowerCase(), f.property).not.toContain(SECRET);
            expect(f.property.toLowerCase()).not.toContain(SECRET);
        }
    };

    it.each([
        // A name, a zone, a role list: also refused as secrets, since the platform reads them (model/secrecy.ts).
        ["a name", "Dataset", { name: "Hunter2" }, ["name"], 2],
        ["a description", "Dataset", { description: SECRET.repeat(40) }, ["description"], 1],
        ["a nested label key and value", "Project", { labels: { Hunter2: "x", team: "HUNTER2" } }, ["labels"], 2],
        ["a nested setting", "Project", { settings: { ide: "hunter2", staleExecTimeoutMode: SECRET } }, ["settings"], 2],
        ["a list item and a repeat", "Organization", { admins: ["userAccount:hunter2", "hunter2"], members: ["userAccount:hunter2"] }, ["admins"], 3],
        ["a zone", "Community", { zone: SECRET }, ["zone"], 2],
        ["a share's facts", "Share", { resourceName: SECRET, communityZone: "ru-central1-b", resourceKind: "Model" }, ["resourceName", "communityZone"], 2],
        ["a share's context value, checked and compared", "Share", { communityZone: SECRET }, ["communityZone"], 2],
    ] as const)("%s", (_label, kind, change, secretInputs, count) => {
        expectHidden(secretly(kind, change, secretInputs), count);
    });

    it("shows the values of the other inputs", () => {
        const failures = secretly("Dataset", { name: "Hunter2", sizeGb: 0 }, ["name"]);
        // The secret one without a property: the engine would print the property's value in plain text.
        expect(failures.map((f) => [f.property, f.reason.split(".")[0]])).toEqual([
            ["", "name must be 1-63 lowercase letters, digits or hyphens, start with a letter and not end with a hyphen, got [secret]"],
            ["sizeGb", "must be at least 1, got 0"],
            ["", "name cannot be secret: the platform reads it to keep its rules and shows it to the organization's members, got [secret]"],
        ]);
    });

    it.each([
        ["unknown", UNKNOWN],
        ["a list with an unknown name", [UNKNOWN]],
        ["not a list of names", "name"],
    ])("hides every value when the list is %s", (_label, secretInputs) => {
        expectHidden(secretly("Dataset", { name: "Hunter2", sizeGb: 0, labels: { t: "HUNTER2" } }, secretInputs), 3);
    });

    it.each([
        ["absent", undefined],
        ["empty", []],
        ["null", null],
    ])("shows values when the list is %s, and is no unknown property", (_label, secretInputs) => {
        const failures = secretly("Dataset", { sizeGb: 0 }, secretInputs);
        expect(failures).toEqual([{ property: "sizeGb", reason: "must be at least 1, got 0. Set a whole number of gigabytes between 1 and 4096." }]);
    });

    it("keeps the list in the inputs, so that create and update hide the same values", () => {
        const { inputs } = run("Dataset", { ...VALID.Dataset, __secretInputs: ["name"] });
        expect(inputs.__secretInputs).toEqual(["name"]);
        expect(check("Dataset", inputs, { ...inputs, name: "Hunter2" }, suffix, EMULATOR_IDS).failures[0].reason).toContain("got [secret]");
    });
});
