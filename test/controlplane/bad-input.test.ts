// Bad input of every field type, through the service on a real database: refused with INVALID_ARGUMENT, the
// message names the object, the field and the value as given (never a secret), and no table changes at all.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { showValue } from "../../provider/model/errors";
import { DNS_NAME_PATTERN, SUBJECT_PATTERN, ZONE_PATTERN } from "../../provider/model/fields";
import { KindName, KINDS } from "../../provider/model/kinds";
import { expectRefused, OWNER, Platform, platform, world } from "./support";

type World = ReturnType<typeof world>;
const cluster = { version: "2.1", masterPreset: "s2.small", computePreset: "s2.medium", computeHosts: 2, diskGb: 100 };

/** A valid spec of each kind these tests break one field of. */
const valid = (w: World, nodeId: string): Partial<Record<KindName, Record<string, unknown>>> => ({
    Organization: { name: "globex", displayName: "Globex", defaultZone: "ru-central1-a" },
    BillingAccount: { organizationId: w.org.id, name: "second", status: "active" },
    Community: { organizationId: w.org.id, name: "east", zone: "ru-central1-a" },
    CommunityMember: { communityId: w.community.id, subject: "userAccount:bob", role: "viewer" },
    Project: { communityId: w.community.id, name: "p2" },
    Dataset: { projectId: w.project.id, name: "d", sizeGb: 1 },
    Secret: { projectId: w.project.id, name: "s", value: "v" },
    DockerImage: { projectId: w.project.id, name: "i", image: "a/b:1" },
    S3Connector: { projectId: w.project.id, name: "s3", bucket: "abc", accessKeyId: "a", secretAccessKey: "b" },
    Node: { projectId: w.project.id, name: "n2", image: "a/b:1", instanceSpec: { cpu: 1, memoryGb: 1 } },
    Alias: { projectId: w.project.id, name: "al", nodes: [{ nodeId, weight: 1 }] },
    DataProcTemplate: { projectId: w.project.id, name: "dp", cluster },
    Model: { projectId: w.project.id, name: "m" },
    SparkConnector: { projectId: w.project.id, name: "sp", cluster: { type: "existing", clusterId: "c1" } },
    Checkpoint: { projectId: w.project.id, name: "c", sourceUri: "s3://c/1" },
});

function setup() {
    const p = platform();
    const w = world(p);
    const n = p.owner.create("Node", { projectId: w.project.id, name: "n", image: "a/b:1", instanceSpec: { cpu: 1, memoryGb: 1 } });
    return { p, w, specs: valid(w, n.id) };
}

// kind, field (dotted for nested), bad value, what the message must say about it
const CASES: [string, KindName, string, unknown, string][] = [
    ["project-level name", "Dataset", "name", "Train Set", 'name must be 1-63 lowercase letters, digits or hyphens, start with a letter and not end with a hyphen, got "Train Set".'],
    ["organization name", "Organization", "name", "-acme", 'name must be 1-63 lowercase letters'],
    ["community name", "Community", "name", "east team", 'name must be 1-63 characters without whitespace, starting with a letter or digit, got "east team".'],
    ["display name", "Organization", "displayName", "", 'displayName must not be empty, got "".'],
    ["description", "Project", "description", "x".repeat(300), "description must be at most 256 characters, got \"xxxx"],
    ["labels count", "Dataset", "labels", Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, "v"])), "labels must have at most 64 labels"],
    ["label key", "Dataset", "labels", { Team: "ml" }, 'labels.Team label keys must be 1-63 characters of a-z, 0-9, - and _, starting with a letter, got "Team".'],
    ["label value", "Dataset", "labels", { team: "ML Team" }, 'labels.team label values must be at most 63 characters of a-z, 0-9, - and _, got "ML Team".'],
    ["zone", "Community", "zone", "moon-1", 'zone must be an availability zone of the platform, got "moon-1". Use ru-central1-a, ru-central1-b or ru-central1-d.'],
    ["subject", "CommunityMember", "subject", "bob", 'subject must be a subject like userAccount:<id>, serviceAccount:<id>, federatedUser:<id> or group:<id>, got "bob".'],
    ["role", "CommunityMember", "role", "owner", 'role must be one of viewer, developer, editor, admin, got "owner".'],
    ["object id", "Project", "communityId", "research", 'communityId must be an id issued by the platform (3-letter prefix + 17 characters), got "research".'],
    ["positive whole number", "Dataset", "sizeGb", 0, "sizeGb must be at least 1, got 0."],
    ["whole number", "Dataset", "sizeGb", 2.5, "sizeGb must be a whole number, got 2.5."],
    ["number as text", "Dataset", "sizeGb", "10", 'sizeGb must be a number, got "10".'],
    ["not a number", "Dataset", "sizeGb", NaN, "sizeGb must be a number, got NaN."],
    ["non-negative number", "Project", "unitBalance", -1, "unitBalance must not be negative, got -1."],
    ["nested number", "Node", "instanceSpec", { cpu: 65, memoryGb: 1 }, "instanceSpec.cpu must be at most 64, got 65."],
    ["boolean", "Dataset", "activated", "true", 'activated must be true or false, got "true".'],
    ["enum", "BillingAccount", "status", "frozen", 'status must be active or suspended, got "frozen".'],
    ["text", "SparkConnector", "cluster", { type: "existing", clusterId: "" }, 'cluster.clusterId must not be empty, got "".'],
    ["union", "SparkConnector", "cluster", { type: "ephemeral" }, 'cluster.type must be { type: "existing", clusterId } or { type: "temporary", spec }, got "ephemeral".'],
    ["uri", "Checkpoint", "sourceUri", "ftp://c/1", 'sourceUri must be a s3 or https URL, got "ftp://c/1".'],
    ["image reference", "DockerImage", "image", "Not/An Image", 'image must be a Docker image reference like cr.example.net/team/image:tag, got "Not/An Image".'],
    ["bucket", "S3Connector", "bucket", "My_Bucket", 'bucket must be 3-63 characters of lowercase letters, digits, dots and hyphens, got "My_Bucket".'],
    ["list too short", "Alias", "nodes", [], "nodes must list at least one node, got []."],
    ["list item", "Organization", "admins", ["userAccount:a", "alice"], 'admins.1 must be a subject like userAccount:<id>'],
    ["nested object", "Project", "settings", { ide: "vscode" }, 'settings.ide must be JUPYTER_LAB, got "vscode".'],
    ["nested unknown key", "Project", "limits", { maxUnits: 5 }, 'limits has unknown key "maxUnits". Remove it (check the spelling).'],
    ["cluster spec", "DataProcTemplate", "cluster", { ...cluster, version: "latest" }, 'cluster.version must be a version like 2.1, got "latest".'],
    ["cross-field rule", "Node", "modelId", "mdlaaaaaaaaaaaaaaaaa", "modelId cannot be set together with image."],
    ["unknown key", "Dataset", "sizegb", 5, 'sizegb is not a property of Dataset. Did you mean "sizeGb"?'],
];

describe("bad input of every field type", () => {
    it.each(CASES)("%s (%s.%s) is refused and changes nothing", (_label, kind, field, value, message) => {
        const { p, specs } = setup();
        const spec = specs[kind]!;
        const e = expectRefused(p, () => p.owner.create(kind, { ...spec, [field]: value }));
        expect(e.code).toBe("INVALID_ARGUMENT");
        const name = kind === "CommunityMember" ? "" : ` "${spec.name}"`;
        expect(e.message.startsWith(`${kind}${field === "name" ? "" : name}`)).toBe(true);
        expect(e.message).toContain(message);
        const property = e.failures[0].property;
        expect(property === field || property.startsWith(`${field}.`), property).toBe(true);
    });

    // (A new value for an immutable field is refused as a change, FAILED_PRECONDITION, before it is validated.)
    it.each(CASES.filter(([, kind, field]) => kind !== "Organization" && kind !== "CommunityMember" && !KINDS[kind].immutable.includes(field)))("%s is refused on update too", (_label, kind, field, value, message) => {
        const { p, specs } = setup();
        const made = p.owner.create(kind, specs[kind]!);
        const e = expectRefused(p, () => p.owner.update(kind, made.id, { [field]: value }));
        expect(e.code).toBe("INVALID_ARGUMENT");
        expect(e.message).toContain(message);
        expect(p.owner.get(kind, made.id)).toEqual(made);
    });

    it("reports every bad field at once, one per line", () => {
        const { p, w } = setup();
        const e = expectRefused(p, () => p.owner.create("Dataset", { projectId: w.project.id, name: "Bad", sizeGb: -1, labels: { X: "y" }, colour: "red" }));
        expect(e.message).toBe([
            'Dataset "Bad": 4 invalid fields:',
            "  - colour is not a property of Dataset. Known properties: projectId, name, description, labels, sizeGb, activated.",
            '  - name must be 1-63 lowercase letters, digits or hyphens, start with a letter and not end with a hyphen, got "Bad". Use lowercase letters, digits and hyphens, e.g. "ml-team".',
            '  - labels.X label keys must be 1-63 characters of a-z, 0-9, - and _, starting with a letter, got "X". Use at most 64 labels with lowercase keys like "team" and values like "ml".',
            "  - sizeGb must be at least 1, got -1. Set a whole number of gigabytes between 1 and 4096.",
        ].join("\n"));
        expect(e.failures.map((f) => f.property)).toEqual(["colour", "name", "labels.X", "sizeGb"]);
    });

    it("refuses a missing required field, saying how to set it", () => {
        const { p, w } = setup();
        const e = expectRefused(p, () => p.owner.create("Dataset", { projectId: w.project.id, name: "d" }));
        expect(e.message).toBe('Dataset "d": sizeGb is required. Set a whole number of gigabytes between 1 and 4096.');
    });
});

describe("malformed requests", () => {
    // The service is reached over HTTP with any JSON: a request of the wrong shape is INVALID_ARGUMENT, not a crash.
    it.each([
        ["create without a spec", (p: Platform) => p.service.create(OWNER, { kind: "Dataset" } as any), "spec must be an object, got nothing."],
        ["create with a null spec", (p: Platform) => p.service.create(OWNER, { kind: "Dataset", spec: null } as any), "spec must be an object, got null."],
        ["create with a list as spec", (p: Platform) => p.service.create(OWNER, { kind: "Dataset", spec: [1] } as any), "spec must be an object, got [1]."],
        ["create of an unknown kind", (p: Platform) => p.service.create(OWNER, { kind: "Notebook", spec: {} } as any), 'kind "Notebook" is not a kind this platform knows. Use one of Organization, BillingAccount'],
        ["create with a numeric idempotency key", (p: Platform) => p.service.create(OWNER, { kind: "Organization", spec: { name: "x", displayName: "X", defaultZone: "ru-central1-a" }, idempotencyKey: 7 } as any), "idempotencyKey must be a string, got 7."],
        ["update without a patch", (p: Platform, w: World) => p.service.update(OWNER, { kind: "Project", id: w.project.id } as any), "patch must be an object, got nothing."],
        ["update with a text version", (p: Platform, w: World) => p.service.update(OWNER, { kind: "Project", id: w.project.id, patch: {}, expectedVersion: "1" } as any), 'expectedVersion must be a version number (1 or more), got "1".'],
        ["update with version 0", (p: Platform, w: World) => p.service.update(OWNER, { kind: "Project", id: w.project.id, patch: {}, expectedVersion: 0 }), "expectedVersion must be a version number (1 or more), got 0."],
        ["delete of an unknown kind", (p: Platform, w: World) => p.service.delete(OWNER, { kind: "Nope" as any, id: w.project.id }), 'kind "Nope" is not a kind this platform knows.'],
        ["list of an unknown kind", (p: Platform) => p.service.list(OWNER, { kind: "Nope" as any }), 'kind "Nope" is not a kind this platform knows.'],
        ["list with a numeric page token", (p: Platform) => p.service.list(OWNER, { kind: "Dataset", pageToken: 5 as any }), "pageToken must be a string, got 5."],
        ["lookup without a spec", (p: Platform) => p.service.lookup(OWNER, "Dataset", undefined as any), "spec must be an object, got nothing."],
    ] as const)("%s", (_label, call, message) => {
        const p = platform();
        const w = world(p);
        const e = expectRefused(p, () => call(p, w));
        expect(e.code).toBe("INVALID_ARGUMENT");
        expect(e.message).toContain(message);
    });

    it("treats null as not given for the optional request fields", () => {
        const p = platform();
        const w = world(p);
        expect(p.service.update(OWNER, { kind: "Project", id: w.project.id, patch: { description: "x" }, expectedVersion: null as any }).version).toBe(2);
        expect(p.service.create(OWNER, { kind: "Dataset", spec: { projectId: w.project.id, name: "d", sizeGb: 1 }, idempotencyKey: null as any }).version).toBe(1);
        expect(p.service.list(OWNER, { kind: "Dataset", pageToken: null as any }).items).toHaveLength(1);
    });
});

describe("generated bad input changes nothing", () => {
    const badName = fc.oneof(fc.string({ maxLength: 70 }), fc.constantFrom("UPPER", "-x", "x-", "a b", "x".repeat(64))).filter((s) => !DNS_NAME_PATTERN.test(s));
    const badSize = fc.oneof(fc.double(), fc.integer({ max: 0 }), fc.integer({ min: 4097 }), fc.string(), fc.boolean()).filter((n) => !(Number.isInteger(n) && (n as number) >= 1 && (n as number) <= 4096));
    const badZone = fc.string({ maxLength: 20 }).filter((s) => !ZONE_PATTERN.test(s));
    const badSubject = fc.string({ maxLength: 30 }).filter((s) => !SUBJECT_PATTERN.test(s));
    const badLabels = fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.string({ maxLength: 8 }), { minKeys: 1, maxKeys: 3 })
        .filter((m) => Object.entries(m).some(([k, v]) => !/^[a-z][-_0-9a-z]{0,62}$/.test(k) || !/^[-_0-9a-z]{0,63}$/.test(v)));

    function assertRefusedUnchanged(p: Platform, kind: KindName, spec: Record<string, unknown>, field: string, value: unknown) {
        const e = expectRefused(p, () => p.owner.create(kind, spec));
        expect(e.code).toBe("INVALID_ARGUMENT");
        const mine = e.failures.find((f) => f.property === field || f.property.startsWith(`${field}.`));
        expect(mine, e.message).toBeDefined();
        if (field !== "labels") expect(mine!.reason).toContain(`got ${showValue(value)}.`);
    }

    it("datasets, communities, members and organizations", () => {
        const { p, w } = setup();
        const runs = { numRuns: 60 };
        fc.assert(fc.property(badName, (name) => assertRefusedUnchanged(p, "Dataset", { projectId: w.project.id, name, sizeGb: 1 }, "name", name)), runs);
        fc.assert(fc.property(badSize, (sizeGb) => assertRefusedUnchanged(p, "Dataset", { projectId: w.project.id, name: "d", sizeGb }, "sizeGb", sizeGb)), runs);
        fc.assert(fc.property(badLabels, (labels) => assertRefusedUnchanged(p, "Dataset", { projectId: w.project.id, name: "d", sizeGb: 1, labels }, "labels", labels)), runs);
        fc.assert(fc.property(badZone, (zone) => assertRefusedUnchanged(p, "Community", { organizationId: w.org.id, name: "c", zone }, "zone", zone)), runs);
        fc.assert(fc.property(badSubject, (subject) => assertRefusedUnchanged(p, "CommunityMember", { communityId: w.community.id, subject, role: "viewer" }, "subject", subject)), runs);
        fc.assert(fc.property(badZone, (defaultZone) => assertRefusedUnchanged(p, "Organization", { name: "o", displayName: "O", defaultZone }, "defaultZone", defaultZone)), runs);
    });
});
