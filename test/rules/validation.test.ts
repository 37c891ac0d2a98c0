// validateSpec: every field type's failures name the property, show the value (never a secret) and say how to
// fix it; unknown keys get a "did you mean"; preview's unknown values are skipped.
import { describe, expect, it } from "vitest";
import { EXAMPLE_INPUTS } from "../../provider/model/examples";
import { KIND_NAMES, KindName, KINDS } from "../../provider/model/kinds";
import { UNKNOWN } from "../../provider/model/unknown";
import { validateField, validateSpec, withoutNulls } from "../../provider/rules/validation";
import { EMULATOR_IDS } from "../../provider/model/ids";

const PRJ = "prjaaaaaaaaaaaaaaaaa";
const patch = (kind: KindName, values: Record<string, unknown>) => validateSpec(KINDS[kind], values, { ids: EMULATOR_IDS, mode: "patch" });
const create = (kind: KindName, values: Record<string, unknown>) => validateSpec(KINDS[kind], values, { ids: EMULATOR_IDS, mode: "create" });
const only = (kind: KindName, field: string, value: unknown) => {
    const failures = patch(kind, { [field]: value });
    expect(failures, `${kind}.${field} = ${JSON.stringify(value)}`).toHaveLength(1);
    return failures[0];
};

describe("valid specs", () => {
    it.each(KIND_NAMES)("the example %s passes, with its plan-time context", (kind) => {
        const inputs = { ...EXAMPLE_INPUTS[kind], ...(KINDS[kind].named ? { name: "example" } : {}) };
        expect(validateSpec(KINDS[kind], inputs, { ids: EMULATOR_IDS, mode: "create", withContext: true })).toEqual([]);
    });

    it("accepts both forms of a Spark connector's cluster", () => {
        const cluster = { version: "2.1", masterPreset: "s2.small", computePreset: "s2.medium", computeHosts: 1, diskGb: 10 };
        expect(create("SparkConnector", { projectId: PRJ, name: "s", cluster: { type: "existing", clusterId: "c9q1" } })).toEqual([]);
        expect(create("SparkConnector", { projectId: PRJ, name: "s", cluster: { type: "temporary", spec: cluster } })).toEqual([]);
    });
});

describe("required fields", () => {
    it("are reported in create mode with how to set them", () => {
        expect(create("Dataset", {})).toEqual([
            { property: "projectId", reason: "is required. Pass the id of an existing object, e.g. `community.id`." },
            { property: "name", reason: 'is required. Use lowercase letters, digits and hyphens, e.g. "ml-team".' },
            { property: "sizeGb", reason: "is required. Set a whole number of gigabytes between 1 and 4096." },
        ]);
    });

    it("are not required in a patch", () => {
        expect(patch("Dataset", { description: "d" })).toEqual([]);
    });

    it("treat null as unset: fine for optional fields, missing for required ones", () => {
        expect(create("Dataset", { projectId: PRJ, name: "d", sizeGb: 1, description: null, labels: null })).toEqual([]);
        expect(create("Dataset", { projectId: PRJ, name: "d", sizeGb: null })).toEqual([
            { property: "sizeGb", reason: "must be a number, got null. Set a whole number of gigabytes between 1 and 4096." },
        ]);
        expect(withoutNulls({ a: 1, b: null, c: undefined, d: 0, e: "" })).toEqual({ a: 1, d: 0, e: "" });
    });
});

describe("names and patterns", () => {
    it.each([
        ["Project", "name", "Training", 'must be 1-63 lowercase letters, digits or hyphens, start with a letter and not end with a hyphen, got "Training". Use lowercase letters, digits and hyphens, e.g. "ml-team".'],
        ["Project", "name", "-lead", 'must be 1-63 lowercase letters, digits or hyphens, start with a letter and not end with a hyphen, got "-lead".'],
        ["Project", "name", "trail-", 'got "trail-".'],
        ["Project", "name", "1st", 'got "1st".'],
        ["Project", "name", "a_b", 'got "a_b".'],
        ["Project", "name", "", 'got "".'],
        ["Project", "name", "a".repeat(64), `got "${"a".repeat(64)}".`],
        ["Project", "name", 42, "must be a string, got 42."],
        ["Community", "name", "research team", 'must be 1-63 characters without whitespace, starting with a letter or digit, got "research team". Remove spaces and start the name with a letter or digit, e.g. "research-team".'],
        ["Community", "name", "_x", 'got "_x".'],
        ["Community", "name", "x".repeat(64), `got "${"x".repeat(64)}".`],
        ["Organization", "displayName", "", 'must not be empty, got "". Use 1-63 characters without leading or trailing spaces.'],
        ["Organization", "displayName", " Acme", 'must not start or end with whitespace, got " Acme".'],
        ["Organization", "displayName", "A".repeat(64), `must be at most 63 characters, got "${"A".repeat(64)}".`],
        ["Project", "description", "d".repeat(257), "must be at most 256 characters, got"],
        ["Community", "zone", "ru-central1", 'must be an availability zone of the platform, got "ru-central1". Use ru-central1-a, ru-central1-b or ru-central1-d.'],
        ["Community", "zone", "ru-central9-x", 'must be an availability zone of the platform, got "ru-central9-x". Use ru-central1-a, ru-central1-b or ru-central1-d.'],
        ["Community", "zone", "ru-central2-a", 'must be an availability zone of the platform, got "ru-central2-a".'],
        ["Community", "zone", "ru-central1-c", 'must be an availability zone of the platform (ru-central1-c is retired), got "ru-central1-c". Use ru-central1-a, ru-central1-b or ru-central1-d.'],
        ["Community", "zone", 1, "must be an availability zone of the platform, got 1."],
        ["Organization", "defaultZone", "ru-central9-x", 'must be an availability zone of the platform, got "ru-central9-x".'],
        ["Node", "instanceZone", "ru-central1-c", "(ru-central1-c is retired)"],
        ["Community", "zone", "RU-CENTRAL1-A", 'got "RU-CENTRAL1-A".'],
        ["CommunityMember", "subject", "alice", 'must be a subject like userAccount:<id>, serviceAccount:<id>, federatedUser:<id> or group:<id>, got "alice". Write the subject as <type>:<id>, e.g. "userAccount:alice".'],
        ["CommunityMember", "subject", "user:alice", 'got "user:alice".'],
        ["CommunityMember", "subject", "userAccount:", 'got "userAccount:".'],
        ["CommunityMember", "role", "owner", 'must be one of viewer, developer, editor, admin, got "owner". Choose one of viewer, developer, editor, admin.'],
        ["Dataset", "projectId", "prj", 'must be an id issued by the platform (3-letter prefix + 17 characters), got "prj". Pass the id of an existing object, e.g. `community.id`.'],
        ["Dataset", "projectId", "PRJAAAAAAAAAAAAAAAAA", 'got "PRJAAAAAAAAAAAAAAAAA".'],
        ["DockerImage", "image", "Not An Image", 'must be a Docker image reference like cr.example.net/team/image:tag, got "Not An Image". Use registry/repository:tag, e.g. "cr.yandex/crp123/trainer:1.4".'],
        ["S3Connector", "bucket", "B", 'must be 3-63 characters of lowercase letters, digits, dots and hyphens, got "B". Use the bucket\'s name as in object storage, e.g. "ml-datasets".'],
        ["S3Connector", "endpoint", "ftp://x", 'must be a https or http URL, got "ftp://x". Set endpoint to a https or http URL, e.g. "https://example.net/path".'],
        ["Model", "sourceUri", "not a url", 'must be a s3 or https URL, got "not a url".'],
        ["Model", "framework", "jax", 'must be pytorch, tensorflow, sklearn, catboost, onnx or other, got "jax".'],
        ["BillingAccount", "status", "closed", 'must be active or suspended, got "closed". Set status to "active" or "suspended".'],
        ["Share", "resourceKind", "Model", 'must be one of Dataset, Secret, DockerImage, S3Connector, Node, Alias, got "Model". Share only Dataset, Secret, DockerImage, S3Connector, Node, Alias.'],
        ["Dataset", "activated", "yes", 'must be true or false, got "yes".'],
    ])("%s.%s = %j is refused", (kind, field, value, reason) => {
        const f = only(kind as KindName, field, value);
        expect(f.property).toBe(field);
        expect(f.reason).toContain(reason);
    });

    it.each([
        ["Project", "name", ["a", "a1", "ml-team", "a".repeat(63)]],
        ["Community", "name", ["research", "Research_Team", "1st", "команда", "x".repeat(63)]],
        ["Community", "zone", ["ru-central1-a", "ru-central1-b", "ru-central1-d"]],
        ["Node", "instanceZone", ["ru-central1-a", "ru-central1-b", "ru-central1-d"]],
        ["CommunityMember", "subject", ["userAccount:alice", "serviceAccount:ci-bot", "federatedUser:a.b@c", "group:admins"]],
        ["DockerImage", "image", ["ubuntu", "cr.example.net/team/img:1.0", "localhost:5000/a/b", `a@sha256:${"0".repeat(64)}`]],
        ["S3Connector", "bucket", ["abc", "ml.data-1"]],
        ["Organization", "displayName", ["A", "Acme Corp", "x".repeat(63)]],
    ])("%s.%s accepts good values", (kind, field, values) => {
        for (const value of values) expect(patch(kind as KindName, { [field]: value }), String(value)).toEqual([]);
    });

    it("shortens long values in messages", () => {
        const f = only("Project", "description", "d".repeat(300));
        expect(f.reason).toContain(`got "${"d".repeat(78)}…. Shorten the description`);
    });
});

describe("numbers", () => {
    it.each([
        [0, "must be at least 1, got 0. Set a whole number of gigabytes between 1 and 4096."],
        [-5, "must be at least 1, got -5."],
        [4097, "must be at most 4096, got 4097."],
        [1.5, "must be a whole number, got 1.5."],
        ["10", 'must be a number, got "10".'],
        [true, "must be a number, got true."],
        [NaN, "got NaN."],
        [Infinity, "got Infinity."],
        [-Infinity, "got -Infinity."],
    ])("sizeGb = %s is refused", (value, reason) => {
        const f = only("Dataset", "sizeGb", value);
        expect(f.property).toBe("sizeGb");
        expect(f.reason).toContain(reason);
    });

    it("checks nested numbers with their path", () => {
        expect(patch("Node", { instanceSpec: { cpu: 0, memoryGb: 1, gpu: 9 } }).map((f) => [f.property, f.reason])).toEqual([
            ["instanceSpec.cpu", "must be at least 1, got 0. Set a whole number of vCPUs between 1 and 64."],
            ["instanceSpec.gpu", "must be at most 8, got 9. Set a whole number of GPUs between 0 and 8."],
        ]);
        expect(only("Project", "unitBalance", -1).reason).toBe("must not be negative, got -1. Set a whole number of units between 0 and 1000000000.");
        expect(patch("Project", { limits: { maxUnitsPerHour: 0, maxUnitsPerExecution: 1_000_001 } }).map((f) => f.property)).toEqual(["limits.maxUnitsPerExecution"]);
    });
});

describe("labels", () => {
    const many = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, "v"]));

    it("allows 64 labels and refuses 65", () => {
        expect(patch("Project", { labels: many(64) })).toEqual([]);
        expect(patch("Project", { labels: many(65) })).toEqual([{
            property: "labels",
            reason: `must have at most 64 labels, got ${JSON.stringify(many(65)).slice(0, 79)}…. Use at most 64 labels with lowercase keys like "team" and values like "ml".`,
        }]);
    });

    it.each([
        ["Team", "ml"], ["1team", "ml"], ["-team", "ml"], ["team.x", "ml"], ["k".repeat(64), "ml"], ["", "ml"],
    ])("refuses the key %j, showing the key", (key, value) => {
        const f = only("Project", "labels", { [key]: value });
        expect(f.property).toBe(`labels.${key}`);
        expect(f.reason).toBe(`label keys must be 1-63 characters of a-z, 0-9, - and _, starting with a letter, got ${JSON.stringify(key)}. Use at most 64 labels with lowercase keys like "team" and values like "ml".`);
    });

    it.each([["UP"], ["a b"], ["v".repeat(64)], ["ü"]])("refuses the value %j, showing the value", (value) => {
        const f = only("Project", "labels", { team: value });
        expect(f.property).toBe("labels.team");
        expect(f.reason).toBe(`label values must be at most 63 characters of a-z, 0-9, - and _, got ${JSON.stringify(value)}. Use at most 64 labels with lowercase keys like "team" and values like "ml".`);
    });

    it("accepts the longest key and value, and an empty value", () => {
        expect(patch("Project", { labels: { ["k".repeat(63)]: "v".repeat(63), team: "", a_b: "x-1_2" } })).toEqual([]);
    });

    it("refuses labels that are not a map of strings", () => {
        expect(only("Project", "labels", "team=ml").reason).toMatch(/^must be a record, got "team=ml"/);
        expect(only("Project", "labels", { team: 1 }).reason).toMatch(/got 1\./);
    });
});

describe("lists, objects and unions", () => {
    it.each([
        ["Alias", "nodes", [], "nodes", "must list at least one node, got []."],
        ["Alias", "nodes", Array.from({ length: 11 }, () => ({ nodeId: "nodaaaaaaaaaaaaaaaaa", weight: 1 })), "nodes", "must list at most 10 nodes"],
        ["Alias", "nodes", [{ nodeId: "nodaaaaaaaaaaaaaaaaa", weight: 0 }], "nodes.0.weight", "must be at least 1, got 0. Set a whole number of weight points between 1 and 100."],
        ["Alias", "nodes", [{ nodeId: "x", weight: 1 }], "nodes.0.nodeId", 'got "x".'],
        ["Alias", "nodes", "nodaaaaaaaaaaaaaaaaa", "nodes", 'must be a list, got "nodaaaaaaaaaaaaaaaaa".'],
        ["Organization", "admins", ["bob"], "admins.0", 'got "bob". Write the subject as <type>:<id>'],
        ["Project", "settings", { ide: "VSCODE" }, "settings.ide", 'must be JUPYTER_LAB, got "VSCODE". Set ide to "JUPYTER_LAB".'],
        ["Project", "settings", { securityGroupIds: Array(11).fill("sg") }, "settings.securityGroupIds", "must list at most 10 security groups"],
        ["Project", "settings", "x", "settings", 'must be an object, got "x".'],
        ["SparkConnector", "cluster", { type: "other" }, "cluster.type", 'must be { type: "existing", clusterId } or { type: "temporary", spec }, got "other".'],
        ["SparkConnector", "cluster", { type: "existing", clusterId: "" }, "cluster.clusterId", 'must not be empty, got "".'],
        ["DataProcTemplate", "cluster", { version: "2", masterPreset: "s", computePreset: "s", computeHosts: 1, diskGb: 1 }, "cluster.version", 'must be a version like 2.1, got "2".'],
    ])("%s.%s = %j fails at %s", (kind, field, value, property, reason) => {
        const failures = patch(kind as KindName, { [field]: value });
        expect(failures.map((f) => f.property)).toContain(property);
        expect(failures.find((f) => f.property === property)!.reason).toContain(reason);
    });
});

describe("unknown keys", () => {
    it.each([
        ["sizegb", 'is not a property of Dataset. Did you mean "sizeGb"?'],
        ["SIZEGB", 'is not a property of Dataset. Did you mean "sizeGb"?'],
        ["descr", 'is not a property of Dataset. Did you mean "description"?'],
        ["activate", 'is not a property of Dataset. Did you mean "activated"?'],
        ["project", 'is not a property of Dataset. Did you mean "projectId"?'],
        ["colour", "is not a property of Dataset. Known properties: projectId, name, description, labels, sizeGb, activated."],
    ])("%j: %s", (key, reason) => {
        expect(patch("Dataset", { [key]: 1 })).toEqual([{ property: key, reason }]);
    });

    it("reports unknown keys inside nested objects, naming them", () => {
        expect(patch("Project", { settings: { ide: "JUPYTER_LAB", idee: 1, foo: 2 } })).toEqual([
            { property: "settings", reason: 'has unknown keys "idee", "foo". Remove them (check the spelling).' },
        ]);
        expect(patch("Node", { instanceSpec: { cpu: 1, memoryGb: 1, gpus: 1 } })).toEqual([
            { property: "instanceSpec", reason: 'has unknown key "gpus". Remove it (check the spelling).' },
        ]);
    });

    it("allows plan-time context only when asked, and extra keys when listed", () => {
        expect(patch("Dataset", { organization: "acme", zone: "ru-central1-a" }).map((f) => f.property)).toEqual(["organization", "zone"]);
        expect(validateSpec(KINDS.Dataset, { organization: "acme", zone: "ru-central1-a" }, { ids: EMULATOR_IDS, mode: "patch", withContext: true })).toEqual([]);
        expect(validateSpec(KINDS.Dataset, { __internal: 1 }, { ids: EMULATOR_IDS, mode: "patch", allowedExtra: ["__internal"] })).toEqual([]);
    });

    it("validates context values too", () => {
        const failures = validateSpec(KINDS.Share, { communityZone: "moon-1", resourceOrganization: "Acme Corp" }, { ids: EMULATOR_IDS, mode: "patch", withContext: true });
        expect(failures.map((f) => [f.property, f.reason.split(",")[0]])).toEqual([
            ["resourceOrganization", "must be 1-63 lowercase letters"],
            ["communityZone", "must be an availability zone of the platform"],
        ]);
    });
});

describe("secrets", () => {
    const SECRET = "hunter2-SECRET-VALUE";

    it.each([
        ["Secret", "value", "x".repeat(65537), "must be at most 64 KiB, got [secret]. Set the secret value (1 byte to 64 KiB)."],
        ["Secret", "value", "", "must not be empty, got [secret]."],
        ["Secret", "value", 1234567, "must be a string, got [secret]."],
        ["Secret", "value", { nested: SECRET }, "must be a string, got [secret]."],
        ["DockerImage", "registryPassword", "", "must not be empty, got [secret]. Set the registry password (1 byte to 64 KiB)."],
        ["S3Connector", "secretAccessKey", [SECRET], "must be a string, got [secret]."],
        ["S3Connector", "accessKeyId", 0, "must be a string, got [secret]."],
    ])("%s.%s never shows its value", (kind, field, value, reason) => {
        const f = only(kind as KindName, field, value);
        expect(f.property).toBe(field);
        expect(f.reason).toContain(reason);
        expect(f.reason).not.toContain(SECRET);
        expect(f.reason).not.toContain("xxxx");
    });

    it("never shows a secret even next to other failures", () => {
        const failures = create("Secret", { projectId: "bad", name: "Bad", value: SECRET.repeat(5000), valeu: SECRET });
        expect(failures.map((f) => f.property)).toEqual(["valeu", "projectId", "name", "value"]);
        expect(JSON.stringify(failures)).not.toContain(SECRET);
    });

    it("accepts any non-empty secret text", () => {
        expect(patch("Secret", { value: "x".repeat(65536) })).toEqual([]);
        expect(patch("Secret", { value: " \n\t spaces and ✓ unicode" })).toEqual([]);
    });

    it("validateField hides the value when told it is secret", () => {
        expect(validateField(KINDS.Secret.spec.shape.value as any, "value", "", true)[0].reason).toContain("[secret]");
        expect(validateField(KINDS.Secret.spec.shape.value as any, "value", "", false)[0].reason).toContain('got ""');
    });
});

describe("values unknown in preview", () => {
    const ID = "nodaaaaaaaaaaaaaaaaa";
    const node = (nodeId: unknown = ID, weight: unknown = 1) => ({ nodeId, weight });

    it("takes a value that is unknown as a whole as present, whatever its schema", () => {
        expect(create("Dataset", { projectId: UNKNOWN, name: UNKNOWN, sizeGb: UNKNOWN })).toEqual([]);
        expect(create("Node", { projectId: UNKNOWN, name: "n", instanceSpec: UNKNOWN })).toEqual([]);
        expect(patch("Alias", { nodes: UNKNOWN })).toEqual([]);
        expect(patch("SparkConnector", { cluster: UNKNOWN })).toEqual([]);
        expect(validateSpec(KINDS.Share, { communityZone: UNKNOWN }, { ids: EMULATOR_IDS, mode: "patch", withContext: true })).toEqual([]);
    });

    // Everything known around an unknown is still checked: the length of a list, its known items, the other fields
    // of an object, the keys of a map. Each case fails without checking what is known.
    it.each([
        ["a list too long, whose ids are unknown", "Alias", { nodes: Array.from({ length: 11 }, () => node(UNKNOWN)) },
            [["nodes", "must list at most 10 nodes, got a list of 11. Remove 1 of them."]]],
        ["an empty list next to nothing unknown", "Alias", { nodes: [] }, [["nodes", "must list at least one node, got []. Add 1 more."]]],
        ["a known bad weight next to an unknown id", "Alias", { nodes: [node(UNKNOWN, 0)] },
            [["nodes.0.weight", "must be at least 1, got 0. Set a whole number of weight points between 1 and 100."]]],
        ["a known bad id next to an unknown one", "Alias", { nodes: [node(UNKNOWN), node("x")] },
            [["nodes.1.nodeId", 'must be an id issued by the platform (3-letter prefix + 17 characters), got "x". Pass the id of an existing object, e.g. `community.id`.']]],
        ["an unknown item of a list that is too long", "Organization", { admins: [UNKNOWN, ...Array.from({ length: 100 }, (_, i) => `userAccount:u${i}`)] },
            [["admins", "must list at most 100 subjects, got a list of 101. Remove 1 of them."]]],
        ["a bad known subject next to an unknown one", "Organization", { admins: [UNKNOWN, "bob"] },
            [["admins.1", 'must be a subject like userAccount:<id>, serviceAccount:<id>, federatedUser:<id> or group:<id>, got "bob". Write the subject as <type>:<id>, e.g. "userAccount:alice".']]],
        ["a bad label key next to an unknown value", "Project", { labels: { team: UNKNOWN, "Bad Key": "x" } },
            [["labels.Bad Key", 'label keys must be 1-63 characters of a-z, 0-9, - and _, starting with a letter, got "Bad Key". Use at most 64 labels with lowercase keys like "team" and values like "ml".']]],
        ["a bad known field of an object next to an unknown one", "Node", { instanceSpec: { cpu: UNKNOWN, memoryGb: 0 } },
            [["instanceSpec.memoryGb", "must be at least 1, got 0. Set a whole number of gigabytes between 1 and 512."]]],
        ["a missing field of an object next to an unknown one", "Node", { instanceSpec: { cpu: UNKNOWN } },
            [["instanceSpec.memoryGb", "must be a number, got nothing. Set a whole number of gigabytes between 1 and 512."]]],
        ["a misspelt key of an object next to an unknown value", "Node", { instanceSpec: { cpu: UNKNOWN, memoryGb: 1, gpus: 1 } },
            [["instanceSpec", 'has unknown key "gpus". Remove it (check the spelling).']]],
        ["a known union branch with a bad field next to an unknown one", "SparkConnector",
            { cluster: { type: "temporary", spec: { version: "x", masterPreset: UNKNOWN, computePreset: "s", computeHosts: 1, diskGb: 1 } } },
            [["cluster.spec.version", 'must be a version like 2.1, got "x". Use a Data Proc image version such as "2.1".']]],
    ] as const)("checks %s", (_label, kind, values, expected) => {
        expect(patch(kind, values).map((f) => [f.property, f.reason])).toEqual(expected);
    });

    it.each([
        ["an unknown union discriminator", "SparkConnector", { cluster: { type: UNKNOWN, clusterId: "c1" } }],
        ["an unknown branch body", "SparkConnector", { cluster: { type: "temporary", spec: UNKNOWN } }],
        ["unknown fields of a known branch", "SparkConnector", { cluster: { type: "temporary", spec: { version: UNKNOWN, masterPreset: UNKNOWN, computePreset: "s", computeHosts: UNKNOWN, diskGb: 1 } } }],
        ["unknown items of a list of good length", "Alias", { nodes: [node(UNKNOWN, UNKNOWN), UNKNOWN] }],
        ["an unknown label value", "Project", { labels: { team: UNKNOWN } }],
        ["an unknown nested field", "Project", { settings: { ide: UNKNOWN, vmInactivityTimeoutSeconds: UNKNOWN } }],
    ] as const)("leaves %s undecided", (_label, kind, values) => {
        expect(patch(kind, values)).toEqual([]);
    });

    it("reports every item of a list that is too long, not only its length", () => {
        const nodes = [...Array.from({ length: 10 }, () => node(UNKNOWN)), node("x", 0)];
        expect(patch("Alias", { nodes }).map((f) => f.property)).toEqual(["nodes", "nodes.10.nodeId", "nodes.10.weight"]);
    });

    it("never prints the sentinel, and shows an unknown as [unknown]", () => {
        const failures = patch("Alias", { nodes: [node(UNKNOWN), ...Array.from({ length: 10 }, () => node(ID))] });
        const tooShort = validateField(KINDS.Organization.spec.shape.admins as any, "admins", [], false);
        for (const f of [...failures, ...tooShort]) expect(f.reason).not.toContain(UNKNOWN);
        expect(validateField(KINDS.Node.spec.shape.instanceSpec as any, "instanceSpec", { cpu: UNKNOWN, memoryGb: 1, gpu: 9, x: 1 }, false)
            .map((f) => f.reason).join(" ")).not.toContain(UNKNOWN);
    });

    it("still checks the other fields", () => {
        expect(create("Dataset", { projectId: UNKNOWN, name: "Bad", sizeGb: UNKNOWN }).map((f) => f.property)).toEqual(["name"]);
    });

    it("still requires a field that is missing altogether", () => {
        expect(create("Dataset", { projectId: UNKNOWN, name: UNKNOWN }).map((f) => f.property)).toEqual(["sizeGb"]);
    });

    it("hides fields named hidden, at every depth, and still checks them", () => {
        const hidden = (field: string) => field === "labels" || field === "nodes" || field === "zone";
        const failures = validateSpec(KINDS.Alias, {
            labels: { "Bad Key": "hunter2", team: "HUNTER2" },
            nodes: Array.from({ length: 11 }, () => node("hunter2", 0)),
            zone: "hunter2",
            description: 7,
        }, { ids: EMULATOR_IDS, mode: "patch", withContext: true, hidden });
        expect(failures.map((f) => f.property)).toEqual([
            "description", "labels.Bad Key", "labels.team", "nodes",
            ...Array.from({ length: 11 }, (_, i) => [`nodes.${i}.nodeId`, `nodes.${i}.weight`]).flat(), "zone",
        ]);
        for (const f of failures.filter((x) => x.property !== "description")) {
            expect(f.reason).toContain("got [secret].");
            expect(f.reason.toLowerCase()).not.toContain("hunter2");
        }
        expect(failures[0].reason).toContain("got 7.");
    });
});
