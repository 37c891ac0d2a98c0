// The control plane's API contract: every request is parsed by one schema per operation, and a malformed one is
// refused naming each wrong field, its value and what it must be.
import { describe, expect, it } from "vitest";
import { CreateRequestSchema, DeleteRequestSchema, ListRequestSchema, parseRequest, UpdateRequestSchema } from "../../provider/model/contract";
import { PlatformError } from "../../provider/model/errors";

function refusal(run: () => unknown): PlatformError {
    try {
        run();
    } catch (e) {
        return e as PlatformError;
    }
    throw new Error("expected a refusal");
}

describe("parseRequest", () => {
    it("reads null optional fields as absent", () => {
        expect(parseRequest(UpdateRequestSchema, { kind: "Project", id: "p", patch: {}, expectedVersion: null, owner: null, idempotencyKey: null }))
            .toEqual({ kind: "Project", id: "p", patch: {}, expectedVersion: undefined, owner: undefined, idempotencyKey: undefined });
    });

    it("refuses a misspelt field instead of ignoring it", () => {
        const e = refusal(() => parseRequest(CreateRequestSchema, { kind: "Dataset", spec: {}, idempotencyKy: "k" }));
        expect(e.code).toBe("INVALID_ARGUMENT");
        expect(e.message).toBe('request has unknown field "idempotencyKy". Remove it (check the spelling).');
    });

    it("reports every wrong field at once, each with its value, and as failures with their paths", () => {
        const e = refusal(() => parseRequest(CreateRequestSchema, { kind: "Notebook", spec: [1], owner: "alice", adopt: "yes" }));
        expect(e.message).toBe([
            'kind "Notebook" is not a kind this platform knows. Use one of Organization, BillingAccount, BillingLink, Community, CommunityMember, Project, ProjectMember, Dataset, Secret, DockerImage, S3Connector, Node, Alias, DataProcTemplate, Model, SparkConnector, Checkpoint, Share, SharedResourceUse.',
            "spec must be an object, got [1].",
            'owner must be the URN of the Pulumi resource that manages the object (urn:pulumi:<stack>::<project>::<type>::<name>), got "alice".',
            'adopt must be true, false or the URN of the owner that released the object, got "yes".',
        ].join(" "));
        expect(e.failures.map((f) => f.property)).toEqual(["kind", "spec", "owner", "adopt"]);
    });

    it.each([
        [DeleteRequestSchema, { kind: "Dataset" }, "id must be an object id (a non-empty string), got nothing."],
        [DeleteRequestSchema, { kind: "Dataset", id: "" }, 'id must be an object id (a non-empty string), got "".'],
        [ListRequestSchema, { kind: "Dataset", pageSize: 1001 }, "pageSize must be a whole number from 1 to 1000, got 1001."],
        [UpdateRequestSchema, { kind: "Dataset", id: "d", patch: {}, expectedVersion: 1.5 }, "expectedVersion must be a version number (1 or more), got 1.5."],
    ] as const)("refuses %#", (schema, request, message) => {
        expect(refusal(() => parseRequest(schema, request)).message).toBe(message);
    });
});
