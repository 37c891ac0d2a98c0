// The DataSphere client when the platform misbehaves: UNAVAILABLE bursts, a response lost after the server acted,
// slow, never-ending and failed operations, refused credentials, stale idempotency keys, an operation that names no
// object. What is retried (reads, keyed mutations, with the same key), what is not, what the errors say (the
// platform's code and request id, the operation, the fix), and that no credential shows in any of them.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ControlPlaneClient } from "../../provider/client/client";
import { dataSphereClient } from "../../provider/client/datasphere";
import { failureOf } from "../../provider/client/datasphere/errors";
import { DataSphereFake } from "../support/datasphere-fake";
import { configFor, FAST, rejection, urn, UUID } from "../support/datasphere-client";

let fake: DataSphereFake;
let client: ControlPlaneClient;
let org: string;

beforeAll(async () => {
    fake = await DataSphereFake.start();
    org = fake.addOrganization("acme");
    client = dataSphereClient(configFor(fake), FAST);
});
afterAll(() => fake.stop());
beforeEach(() => {
    const f = fake.faults;
    f.unavailable.clear();
    f.loseResponse.clear();
    f.failOperation.clear();
    f.refuse.clear();
    Object.assign(f, { polls: 1, operationMs: 0, stall: false, omitResponse: false });
});

const create = (name: string, key = `key-${name}`) => client.create({ kind: "Community", spec: { organizationId: org, name, zone: "ru-central1-a" }, owner: urn("Community", name), idempotencyKey: key });
const named = (name: string) => [...fake.communities.values()].filter((c) => c.name === name);

describe("retries", () => {
    it("retries a read through an UNAVAILABLE burst", async () => {
        const c = await create("burst");
        fake.faults.unavailable.set("CommunityService.Get", 2);
        const before = fake.calls("CommunityService.Get").length;
        expect((await client.get("Community", c.id)).id).toBe(c.id);
        expect(fake.calls("CommunityService.Get").length - before).toBe(3);
    });

    it("retries a create whose response was lost with the same idempotency key, and the platform makes one community", async () => {
        fake.faults.unavailable.set("CommunityService.Create", 1);
        fake.faults.loseResponse.set("CommunityService.Create", 1);
        const before = fake.calls("CommunityService.Create").length;
        const c = await create("lost");
        const attempts = fake.calls("CommunityService.Create").slice(before);
        expect(attempts).toHaveLength(3);
        const keys = new Set(attempts.map((r) => r.metadata["idempotency-key"]));
        expect(keys.size).toBe(1);
        expect([...keys][0]).toMatch(UUID);
        // Each attempt has its own request id, all one trace.
        expect(new Set(attempts.map((r) => r.metadata["x-client-request-id"])).size).toBe(3);
        expect(new Set(attempts.map((r) => r.metadata["x-client-trace-id"])).size).toBe(1);
        expect(named("lost").map((x) => x.id)).toEqual([c.id]);
    });

    it("retries updates and access-binding deltas through UNAVAILABLE with one key per call", async () => {
        const c = await create("keyed");
        for (const method of ["CommunityService.Update", "CommunityService.UpdateAccessBindings", "OperationService.Get"]) fake.faults.unavailable.set(method, 2);
        await client.update({ kind: "Community", id: c.id, patch: { description: "x" }, owner: urn("Community", "keyed") });
        await client.create({ kind: "CommunityMember", spec: { communityId: c.id, subject: "userAccount:dan", role: "viewer" } });
        for (const method of ["CommunityService.Update", "CommunityService.UpdateAccessBindings"]) {
            const sent = fake.calls(method).slice(-3);
            expect(new Set(sent.map((r) => r.metadata["idempotency-key"])).size).toBe(1);
        }
        expect(fake.communities.get(c.id)!.description).toBe("x");
    });

    it("gives up after the attempts with the platform's code, request id and the fix", async () => {
        fake.faults.unavailable.set("CommunityService.Get", 50);
        const e = await rejection(client.get("Community", "bt1nothing"));
        expect(e.code).toBe("UNAVAILABLE");
        expect(e.message).toMatch(/^Community "bt1nothing": DataSphere could not read it: UNAVAILABLE: service is temporarily unavailable \(CommunityService.Get, request id fake-req-\d+, 5 attempts\)\. DataSphere could not be reached/);
    });

    it("never retries what the platform refused for good", async () => {
        fake.faults.refuse.set("CommunityService.Get", { code: 7, message: "permission denied to community" });
        const before = fake.calls("CommunityService.Get").length;
        const e = await rejection(client.get("Community", "bt1x"));
        expect(fake.calls("CommunityService.Get").length - before).toBe(1);
        expect(e.code).toBe("PERMISSION_DENIED");
        expect(e.message).toMatch(/PERMISSION_DENIED: permission denied to community \(CommunityService.Get, request id fake-req-\d+\)\. The account the provider acts as needs datasphere\.communities\.viewer on the community/);
    });
});

describe("operations", () => {
    it("polls until an operation is done, however many polls it takes", async () => {
        fake.faults.polls = 6;
        const before = fake.calls("OperationService.Get").length;
        await create("slow");
        expect(fake.calls("OperationService.Get").length - before).toBe(6);
    });

    it("stops waiting at the deadline with a message that says what to do", async () => {
        fake.faults.stall = true;
        const impatient = dataSphereClient(configFor(fake), { ...FAST, operationTimeoutMs: 20 });
        const e = await rejection(impatient.create({ kind: "Community", spec: { organizationId: org, name: "stalled", zone: "ru-central1-a" }, owner: urn("Community", "stalled") }));
        expect(e.code).toBe("UNAVAILABLE");
        expect(e.message).toMatch(/^Community "stalled": DataSphere operation op0\w+ \(Create community\) to create it is still running after 0\.02 s; the provider stopped waiting\. It may still finish: see it with `yc operation get op0\w+`, then run `pulumi refresh` and `pulumi up`/);
    });

    it("turns a failed operation into the platform's code, message and operation id", async () => {
        fake.faults.failOperation.set("CommunityService.Create", { code: 9, message: "billing account is suspended", count: 1 });
        const e = await rejection(create("failing"));
        expect(e.code).toBe("FAILED_PRECONDITION");
        expect(e.message).toMatch(/^Community "failing": DataSphere refused to create it: FAILED_PRECONDITION: billing account is suspended \(operation op0\w+\)\. Bring the platform/);
        expect(named("failing")).toHaveLength(0);
    });

    it("finds the community from the operation's metadata when the operation carries no response", async () => {
        fake.faults.omitResponse = true;
        const c = await create("no-response");
        expect(named("no-response").map((x) => x.id)).toEqual([c.id]);
    });
});

describe("idempotency keys outliving their objects", () => {
    it("creates anew when a create's key is answered by an earlier operation whose community is gone", async () => {
        const first = await create("again", "same-key");
        await client.delete({ kind: "Community", id: first.id });
        const creates = fake.calls("CommunityService.Create").length;
        const second = await create("again", "same-key");
        expect(second.id).not.toBe(first.id);
        const sent = fake.calls("CommunityService.Create").slice(creates);
        expect(sent).toHaveLength(2);
        expect(sent[0].metadata["idempotency-key"]).not.toBe(sent[1].metadata["idempotency-key"]);
        expect(named("again").map((x) => x.id)).toEqual([second.id]);
    });

    it("converges on a rerun after the first run failed once the community existed: no second community", async () => {
        // The first run acts, loses the answer and does not retry (as if killed); the rerun has another key.
        fake.faults.loseResponse.set("CommunityService.Create", 1);
        const once = dataSphereClient(configFor(fake), { ...FAST, attempts: 1 });
        const e = await rejection(once.create({ kind: "Community", spec: { organizationId: org, name: "crashed", zone: "ru-central1-a" }, owner: urn("Community", "crashed"), idempotencyKey: "run-1" }));
        expect(e.code).toBe("UNAVAILABLE");
        expect(named("crashed")).toHaveLength(1);
        const rerun = await create("crashed", "run-2");
        expect(named("crashed").map((x) => x.id)).toEqual([rerun.id]);
    });
});

describe("errors", () => {
    it("says the credentials were refused, without ever showing them", async () => {
        const wrong = dataSphereClient({ ...configFor(fake), credentials: { kind: "iamToken", token: "t1.the-wrong-secret-token" } }, FAST);
        const e = await rejection(wrong.get("Community", "bt1x"));
        expect(e.code).toBe("UNAUTHENTICATED");
        expect(e.message).toMatch(/UNAUTHENTICATED: the IAM token is invalid or expired \(CommunityService.Get, request id fake-req-\d+\)\. Yandex Cloud refused the IAM token from mlplatform:iamToken: an IAM token lives at most 12 hours\. Get a new one with `yc iam create-token`/);
        expect(JSON.stringify(e) + e.message).not.toContain("the-wrong-secret-token");
        // Nor does a platform that echoes it.
        fake.faults.refuse.set("CommunityService.Get", { code: 3, message: `bad header Bearer ${fake.token}` });
        const echoed = await rejection(client.get("Community", "bt1x"));
        expect(echoed.message).not.toContain(fake.token);
        expect(echoed.message).toContain("Bearer [secret]");
    });

    it("says promptly what to set when no credentials are configured and no VM metadata service answers", async () => {
        const none = dataSphereClient({ ...configFor(fake), credentials: { kind: "metadata" } }, { ...FAST, metadataTimeoutMs: 300 });
        const before = fake.requests.length;
        const e = await rejection(none.get("Community", "bt1x"));
        expect(e.code).toBe("UNAUTHENTICATED");
        // On a Yandex Cloud VM the metadata service would answer, and the fake refuse that VM's token instead.
        if (fake.requests.length === before) {
            expect(e.message).toMatch(/^No Yandex Cloud credentials are configured and the VM metadata service .*Set mlplatform:iamToken \(or YC_TOKEN\)/);
        }
    });

    it("reads any thrown value without throwing: ApiError's message, a bare status, nothing at all", () => {
        expect(failureOf(Object.assign(new Error("/yandex.cloud.datasphere.v2.CommunityService/Get NOT_FOUND: Community x not found"), { requestId: "r-1" })))
            .toEqual({ status: "NOT_FOUND", details: "Community x not found", requestId: "r-1" });
        expect(failureOf({ code: 14, details: "down" })).toEqual({ status: "UNAVAILABLE", details: "down" });
        expect(failureOf({ code: 99, message: "x" })).toMatchObject({ status: "UNKNOWN" });
        expect(failureOf(undefined)).toMatchObject({ status: "UNKNOWN" });
        const hostile = { get message(): string { throw new Error("no"); } };
        expect(failureOf(hostile)).toMatchObject({ status: "UNKNOWN" });
    });

    it("cannot reach an endpoint that is not there, and says so", async () => {
        const nowhere = dataSphereClient({ ...configFor(fake), endpoints: { datasphere: "localhost:1", operation: "localhost:1", organizationManager: "localhost:1", billing: "localhost:1", iam: "localhost:1" } }, { ...FAST, attempts: 2 });
        const e = await rejection(nowhere.get("Project", "bt2x"));
        expect(e.code).toBe("UNAVAILABLE");
        expect(e.message).toMatch(/check the network and mlplatform:dataSphereEndpoint/);
    });
});
