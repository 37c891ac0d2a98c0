// The embedded client: the control plane in-process over a data folder, one handle per file, acting as the
// configured principal. Different principals on one folder see what their roles let them see.
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { afterEach, describe, expect, it } from "vitest";
import { ControlPlaneClient } from "../../provider/client/client";
import { closeAll, embeddedClient } from "../../provider/client/embedded";
import { DATABASE_FILE, KEY_FILE } from "../../provider/model/data-folder";
import { expectError, expectRejection, OWNER, tempDir } from "../controlplane/support";

afterEach(() => closeAll());

const client = (dataDir: string, principal = OWNER, encryptionKey?: string) => embeddedClient({ mode: "embedded", dataDir, principal, encryptionKey });

/** acme with a billed community and a project, made through the client. */
async function acme(c: ControlPlaneClient) {
    const org = await c.create({ kind: "Organization", spec: { name: "acme", displayName: "Acme", defaultZone: "ru-central1-a" } });
    const acc = await c.create({ kind: "BillingAccount", spec: { organizationId: org.id, name: "main", status: "active" } });
    const com = await c.create({ kind: "Community", spec: { organizationId: org.id, name: "research", zone: "ru-central1-a" } });
    await c.create({ kind: "BillingLink", spec: { communityId: com.id, billingAccountId: acc.id } });
    const project = await c.create({ kind: "Project", spec: { communityId: com.id, name: "training" } });
    return { org, com, project };
}

describe("embeddedClient", () => {
    it("creates the database and a private key file in the data folder, and acts as its principal", async () => {
        const dataDir = path.join(tempDir(), "state");
        const c = client(dataDir);
        expect(c.principal).toBe(OWNER);
        expect(fs.existsSync(dataDir)).toBe(false); // nothing is opened until the first call
        await c.identity();
        expect(fs.existsSync(path.join(dataDir, DATABASE_FILE))).toBe(true);
        expect(fs.statSync(path.join(dataDir, KEY_FILE)).mode & 0o777).toBe(0o600);
        const { org, project } = await acme(c);
        expect(org.createdBy).toBe(OWNER);
        expect((await c.get("Project", project.id)).spec.name).toBe("training");
        const ck = await c.create({ kind: "Checkpoint", spec: { projectId: project.id, name: "ck", sourceUri: "s3://c/1" } });
        await c.update({ kind: "Checkpoint", id: ck.id, patch: { sourceUri: "s3://c/2" }, expectedVersion: 1 });
        expect((await c.get("Checkpoint", ck.id)).version).toBe(2);
        await c.delete({ kind: "Checkpoint", id: ck.id });
        expect((await c.list({ kind: "Checkpoint" })).items).toEqual([]);
    });

    it("reports refusals as rejected promises carrying the platform error", async () => {
        const c = client(tempDir());
        const { project } = await acme(c);
        expect(await expectRejection(c.create({ kind: "Dataset", spec: { projectId: project.id, name: "Bad", sizeGb: 1 } }))).toMatchObject({ code: "INVALID_ARGUMENT" });
        expect(await expectRejection(c.get("Dataset", "dtsaaaaaaaaaaaaaaaaa"))).toMatchObject({ code: "NOT_FOUND" });
        expect(await expectRejection(c.update({ kind: "Project", id: project.id, patch: { description: "x" }, expectedVersion: 5 }))).toMatchObject({ code: "ABORTED" });
        expect(await expectRejection(c.delete({ kind: "Community", id: project.parentId! }))).toMatchObject({ code: "FAILED_PRECONDITION" });
        expect(await expectRejection(c.list({ kind: "Dataset", pageSize: 5000 }))).toMatchObject({ code: "INVALID_ARGUMENT" });
    });

    it("lets principals on one folder see and do what their roles allow", async () => {
        const dataDir = tempDir();
        const owner = client(dataDir);
        const alice = client(dataDir, "userAccount:alice");
        const bob = client(dataDir, "userAccount:bob");
        const { com, project } = await acme(owner);
        // Not a member of anything: acme does not exist for alice.
        expect(await expectRejection(alice.get("Project", project.id))).toMatchObject({ code: "NOT_FOUND" });
        expect((await alice.list({ kind: "Project" })).items).toEqual([]);
        await owner.create({ kind: "CommunityMember", spec: { communityId: com.id, subject: "userAccount:alice", role: "developer" } });
        await owner.create({ kind: "ProjectMember", spec: { projectId: project.id, subject: "userAccount:bob", role: "viewer" } });
        // Now alice can create a project in the community; bob can read the project but not add to it.
        const mine = await alice.create({ kind: "Project", spec: { communityId: com.id, name: "alices" } });
        expect(mine.createdBy).toBe("userAccount:alice");
        expect((await bob.get("Project", project.id)).id).toBe(project.id);
        expect(await expectRejection(bob.create({ kind: "Dataset", spec: { projectId: project.id, name: "d", sizeGb: 1 } })))
            .toMatchObject({ code: "PERMISSION_DENIED", message: expect.stringMatching(/^userAccount:bob cannot create a project resource: it needs the developer role in project "training" \(has viewer\)/) });
        expect(await expectRejection(alice.update({ kind: "Project", id: project.id, patch: { description: "x" } })))
            .toMatchObject({ code: "PERMISSION_DENIED", message: expect.stringMatching(/needs the editor role in project "training" \(has no role\)/) });
        expect((await owner.list({ kind: "Project", parentId: com.id })).items.map((p) => p.spec.name).sort()).toEqual(["alices", "training"]);
    });

    it("keeps what was written after closeAll and a reopen", async () => {
        const dataDir = tempDir();
        const { project } = await acme(client(dataDir));
        await closeAll();
        const again = client(dataDir);
        expect((await again.get("Project", project.id)).spec.name).toBe("training");
    });

    it("uses a configured key instead of a key file, and fails clearly when the key is not the one secrets were written with", async () => {
        const dataDir = tempDir();
        const key = crypto.randomBytes(32).toString("base64");
        const c = client(dataDir, OWNER, key);
        expect(fs.existsSync(path.join(dataDir, KEY_FILE))).toBe(false);
        const { project } = await acme(c);
        const s = await c.create({ kind: "Secret", spec: { projectId: project.id, name: "tok", value: "hidden-value" } });
        await closeAll();
        const wrong = client(dataDir, OWNER); // no key configured: a new key file, not the key the secret was sealed with
        const e = await expectRejection(wrong.get("Secret", s.id));
        expect(e).toMatchObject({ code: "INTERNAL", message: expect.stringMatching(/cannot be decrypted: the encryption key differs from the one it was written with\. Configure the original key \(MLPLATFORM_ENCRYPTION_KEY or the key file\)/) });
        expect(e.message).not.toContain("hidden-value");
        expect((await wrong.get("Project", project.id)).id).toBe(project.id);
        expect((await client(dataDir, OWNER, key).get("Secret", s.id)).secretDigests.value).toMatch(/^v2:[0-9a-f]{32}$/);
    });

    it("refuses a bad configured key and a key file others can read, on the first call", async () => {
        expect(await expectRejection(client(tempDir(), OWNER, Buffer.alloc(8).toString("base64")).identity())).toMatchObject({
            code: "INVALID_ARGUMENT", message: "encryptionKey must be 32 bytes encoded in base64, got 8 bytes. Generate one with: openssl rand -base64 32",
        });
        const dataDir = tempDir();
        await client(dataDir).identity();
        await closeAll();
        fs.chmodSync(path.join(dataDir, KEY_FILE), 0o640);
        expect(await expectRejection(client(dataDir).identity())).toMatchObject({ code: "FAILED_PRECONDITION", message: expect.stringMatching(/readable by others \(mode 640\)/) });
    });
});
