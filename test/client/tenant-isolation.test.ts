// What a principal may not see does not exist for it: not through adoption, not in an error message. Through the
// served control plane, where tenants meet.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpClient } from "../../provider/client/http";
import { Served, serveControlPlane } from "../support/served";

let served: Served;
let endpoint: string;

beforeAll(async () => {
    served = await serveControlPlane("alice-token=userAccount:alice,mallory-token=userAccount:mallory");
    endpoint = served.endpoint;
});
afterAll(() => served.close());

const alice = () => httpClient({ mode: "http", endpoint, token: "alice-token" });
const mallory = () => httpClient({ mode: "http", endpoint, token: "mallory-token" });
const MALLORY_URN = "urn:pulumi:dev::evil::pulumi-nodejs:dynamic/mlplatform:Organization::acme";

async function rejection(p: Promise<unknown>): Promise<{ code: string; message: string }> {
    try {
        await p;
    } catch (e) {
        return e as { code: string; message: string };
    }
    throw new Error("expected a rejection");
}

describe("another tenant's organization", () => {
    it("is never adopted and never described: a create of its name learns only that the name is taken", async () => {
        const spec = { name: "acme-corp", displayName: "Acme", defaultZone: "ru-central1-a", description: "private plans", members: ["userAccount:bob"] };
        const org = await alice().create({ kind: "Organization", spec, owner: "urn:pulumi:prod::ledger::pulumi-nodejs:dynamic/mlplatform:Organization::acme" });
        // Every way a create could take an existing object over: identical fields, an owner, adopt.
        const attempts = [
            () => mallory().create({ kind: "Organization", spec, adoptIdentical: true }),
            () => mallory().create({ kind: "Organization", spec, adoptIdentical: true, owner: MALLORY_URN }),
            () => mallory().create({ kind: "Organization", spec, adopt: true, owner: MALLORY_URN }),
            () => mallory().create({ kind: "Organization", spec: { ...spec, description: "other" }, adoptIdentical: true }),
            () => mallory().create({ kind: "Organization", spec, idempotencyKey: "guess", adoptIdentical: true }),
        ];
        for (const attempt of attempts) {
            const e = await rejection(attempt());
            expect(e.code).toBe("ALREADY_EXISTS");
            expect(e.message).toMatch(/the name is taken/);
            for (const secretFact of [org.id, "private plans", "bob", "alice", "Team", "prod", "ledger", (org.extra.defaultCommunityId as string)]) {
                expect(e.message).not.toContain(secretFact);
            }
        }
        // Nothing of it became visible to mallory.
        await expect(mallory().get("Organization", org.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
        expect((await mallory().list({ kind: "Organization" })).items).toEqual([]);
        expect((await mallory().list({ kind: "Community" })).items).toEqual([]);
    });

    it("refuses a visible object's adoption with its owner named, where the requester may see it", async () => {
        const owner = "urn:pulumi:prod::platform::pulumi-nodejs:dynamic/mlplatform:Organization::beta";
        const spec = { name: "beta-corp", displayName: "Beta", defaultZone: "ru-central1-a" };
        await alice().create({ kind: "Organization", spec, owner });
        const e = await rejection(alice().create({ kind: "Organization", spec, owner: "urn:pulumi:dev::other::pulumi-nodejs:dynamic/mlplatform:Organization::beta", adoptIdentical: true }));
        expect(e.code).toBe("ALREADY_EXISTS");
        expect(e.message).toContain('resource "beta" of stack platform/prod');
    });
});
