// The kind declarations are the single source every layer reads: they must be consistent with themselves and
// with the platform's facts (hierarchy, shareable kinds, what never changes, what is secret).
import { describe, expect, it } from "vitest";
import { EXAMPLE_INPUTS } from "../../provider/model/examples";
import { fixOf } from "../../provider/model/fields";
import { ID_PATTERN, PASS_AN_ID } from "../../provider/model/ids";
import {
    contextSchemas, idFields, isKindName, KIND_NAMES, kindOf, KINDS, PROJECT_RESOURCE_KINDS, referencedIds, SHAREABLE_KINDS,
} from "../../provider/model/kinds";

const fieldsOf = (kind: keyof typeof KINDS) => Object.keys(KINDS[kind].spec.shape);

describe("kind declarations", () => {
    it("declares 19 kinds, each under its own name", () => {
        expect(KIND_NAMES).toHaveLength(19);
        for (const kind of KIND_NAMES) expect(KINDS[kind].kind).toBe(kind);
        expect(Object.keys(KINDS).sort()).toEqual([...KIND_NAMES].sort());
    });

    it("gives every kind its own three-letter id prefix, valid in ids", () => {
        const prefixes = KIND_NAMES.map((k) => KINDS[k].idPrefix);
        expect(new Set(prefixes).size).toBe(prefixes.length);
        for (const p of prefixes) expect(`${p}${"a".repeat(17)}`).toMatch(ID_PATTERN);
    });

    it.each(KIND_NAMES)("%s: every id field says which kinds it points at, so the backend's id shape is checked there", (kind) => {
        // An id field is one declared with fields.objectId (its fix); a path like `nodes[].nodeId` for one in a list.
        const idPaths = (schema: any, path: string): string[] => {
            while (schema?.def?.innerType) schema = schema.def.innerType;
            if (fixOf(schema) === PASS_AN_ID && schema?.def?.type === "string") return [path];
            if (schema?.shape) return Object.entries(schema.shape).flatMap(([key, inner]) => idPaths(inner, path ? `${path}.${key}` : key));
            if (schema?.def?.element) return idPaths(schema.def.element, `${path}[]`);
            return [];
        };
        const declared = [...idPaths(KINDS[kind].spec, ""), ...KINDS[kind].context.flatMap((field) => idPaths(contextSchemas[field], field))];
        expect(idFields(KINDS[kind]).map((f) => f.path).sort()).toEqual(declared.sort());
        for (const { kinds } of idFields(KINDS[kind])) expect(kinds.length).toBeGreaterThan(0);
    });

    it.each(KIND_NAMES)("%s: parent, references, immutable and secret fields are fields of its spec", (kind) => {
        const d = KINDS[kind];
        const fields = fieldsOf(kind);
        if (d.parent) {
            expect(fields).toContain(d.parent.field);
            expect(d.immutable).toContain(d.parent.field); // nothing ever moves to another parent
            for (const k of d.parent.kinds) expect(isKindName(k)).toBe(true);
        }
        for (const f of [...d.immutable, ...d.secrets]) expect(fields).toContain(f);
        for (const ref of d.references) {
            expect(fields).toContain(ref.path.split(/[.[]/)[0]);
            for (const k of ref.kinds) expect(isKindName(k)).toBe(true);
        }
        for (const c of d.context) expect(contextSchemas[c]).toBeDefined();
        expect(d.named).toBe(fields.includes("name"));
    });

    it("never makes a secret field immutable (a refused change would print the stored value)", () => {
        for (const kind of KIND_NAMES) for (const s of KINDS[kind].secrets) expect(KINDS[kind].immutable).not.toContain(s);
    });

    it("follows the platform's hierarchy", () => {
        const parent = (k: keyof typeof KINDS) => KINDS[k].parent?.kinds;
        expect(KINDS.Organization.parent).toBeUndefined();
        expect(parent("BillingAccount")).toEqual(["Organization"]);
        expect(parent("Community")).toEqual(["Organization"]);
        expect(parent("BillingLink")).toEqual(["Community"]);
        expect(parent("CommunityMember")).toEqual(["Community"]);
        expect(parent("Project")).toEqual(["Community"]);
        expect(parent("ProjectMember")).toEqual(["Project"]);
        for (const k of PROJECT_RESOURCE_KINDS) expect(parent(k)).toEqual(["Project"]);
        expect(parent("Share")).toEqual([...SHAREABLE_KINDS]);
    });

    it("lists the project resources and the kinds the platform can share", () => {
        expect([...PROJECT_RESOURCE_KINDS].sort()).toEqual(
            ["Alias", "Checkpoint", "DataProcTemplate", "Dataset", "DockerImage", "Model", "Node", "S3Connector", "Secret", "SparkConnector"]);
        expect([...SHAREABLE_KINDS].sort()).toEqual(["Alias", "Dataset", "DockerImage", "Node", "S3Connector", "Secret"]);
    });

    it("keeps what the platform never changes immutable", () => {
        expect(KINDS.Community.immutable).toEqual(expect.arrayContaining(["organizationId", "zone"]));
        expect(KINDS.Community.immutable).not.toContain("name"); // a community can be renamed
        expect(KINDS.Project.immutable).toEqual(["communityId"]);
        expect(KINDS.Dataset.immutable).toEqual(expect.arrayContaining(["projectId", "sizeGb"]));
        expect(KINDS.Organization.immutable).toEqual(expect.arrayContaining(["name", "defaultZone"]));
        expect(KINDS.Share.immutable).toEqual(expect.arrayContaining(["resourceId", "resourceKind", "communityId"]));
    });

    it("marks every credential secret", () => {
        expect(KINDS.Secret.secrets).toEqual(["value"]);
        expect(KINDS.DockerImage.secrets).toEqual(["registryUsername", "registryPassword"]);
        expect(KINDS.S3Connector.secrets).toEqual(["accessKeyId", "secretAccessKey"]);
        const withSecrets = KIND_NAMES.filter((k) => KINDS[k].secrets.length > 0).sort();
        expect(withSecrets).toEqual(["DockerImage", "S3Connector", "Secret"]);
    });

    it("versions checkpoints only", () => {
        expect(KIND_NAMES.filter((k) => KINDS[k].versioned)).toEqual(["Checkpoint"]);
    });

    it("makes unnamed kinds unique by what identifies them", () => {
        expect(KINDS.BillingLink.uniqueKey({ communityId: "c", billingAccountId: "a" })).toBe(KINDS.BillingLink.uniqueKey({ communityId: "c", billingAccountId: "b" }));
        expect(KINDS.CommunityMember.uniqueKey({ subject: "userAccount:a", role: "viewer" })).toBe("userAccount:a");
        expect(KINDS.ProjectMember.uniqueKey({ subject: "group:g", role: "admin" })).toBe("group:g");
        expect(KINDS.Share.uniqueKey({ resourceId: "r", communityId: "c" })).toBe("c");
        expect(KINDS.Dataset.uniqueKey({ name: "train" })).toBe("train");
        expect(KINDS.Share.label({ resourceKind: "Dataset", resourceId: "r", communityId: "c" })).toBe("Dataset r -> community c");
    });

    it("has example inputs of every kind", () => {
        expect(Object.keys(EXAMPLE_INPUTS).sort()).toEqual([...KIND_NAMES].sort());
    });
});

describe("kind lookup", () => {
    it("finds kinds by name and explains an unknown one", () => {
        expect(kindOf("Dataset")).toBe(KINDS.Dataset);
        expect(() => kindOf("Datasets")).toThrow(/unknown kind "Datasets"; expected one of Organization, BillingAccount/);
        expect(isKindName("Share")).toBe(true);
        for (const x of ["share", "", "toString", "constructor", 1, undefined]) expect(isKindName(x)).toBe(false);
    });
});

describe("referencedIds", () => {
    it.each([
        [{ billingAccountId: "bla1" }, "billingAccountId", ["bla1"]],
        [{}, "billingAccountId", []],
        [{ modelId: null }, "modelId", []],
        [{ modelId: 5 }, "modelId", []],
        [{ nodes: [{ nodeId: "n1" }, { nodeId: "n2" }, {}] }, "nodes[].nodeId", ["n1", "n2"]],
        [{ nodes: "n1" }, "nodes[].nodeId", []],
        [{ nodes: [] }, "nodes[].nodeId", []],
        [{ a: { b: "x" } }, "a.b", ["x"]],
    ])("%j at %s -> %j", (spec, p, ids) => {
        expect(referencedIds(spec, p)).toEqual(ids);
    });
});
