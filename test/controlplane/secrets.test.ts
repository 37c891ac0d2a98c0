// Secrets at rest and in transit out of the service: the plaintext is never in the database file or its
// write-ahead log, never in an error message, never in a returned object. Only keyed digests come back.
import * as crypto from "crypto";
import * as fs from "fs";
import { describe, expect, it } from "vitest";
import { expectError, OWNER, Platform, platform, world } from "./support";

/** Every byte of the database's files as they are on disk now (main file, WAL, shared memory). */
function fileBytes(p: Platform): string {
    return ["", "-wal", "-shm"].map((s) => `${p.file}${s}`).filter(fs.existsSync).map((f) => fs.readFileSync(f).toString("latin1")).join("\n");
}

/** The plaintext in the encodings a careless store might use. */
const encodings = (plain: string) => [plain, Buffer.from(plain).toString("base64"), Buffer.from(plain).toString("hex"), Buffer.from(plain, "utf8").toString("utf16le")];

function expectAbsent(haystack: string, markers: string[]) {
    for (const m of markers) for (const e of encodings(m)) expect(haystack.includes(e), `${m} found as ${e}`).toBe(false);
}

describe("secrets at rest", () => {
    it("never writes a plaintext secret to the database file or its WAL", () => {
        const p = platform();
        const w = world(p);
        const markers = Array.from({ length: 8 }, (_, i) => `PLAINTEXT-MARKER-${i}-${crypto.randomBytes(6).toString("hex")}`);
        const s = p.owner.create("Secret", { projectId: w.project.id, name: "tok", value: markers[0] }, { idempotencyKey: "k-secret" });
        p.owner.create("S3Connector", { projectId: w.project.id, name: "s3", bucket: "b-1", accessKeyId: markers[1], secretAccessKey: markers[2] });
        const img = p.owner.create("DockerImage", { projectId: w.project.id, name: "img", image: "a/b:1", registryUsername: markers[3], registryPassword: markers[4] });
        // Before any checkpoint the new pages live in the WAL only: it must be clean too.
        expect(fs.existsSync(`${p.file}-wal`)).toBe(true);
        const beforeCheckpoint = fileBytes(p);
        expect(beforeCheckpoint).toContain("tok"); // the reading works: the names are there in plain text
        expectAbsent(beforeCheckpoint, markers.slice(0, 5));

        p.owner.update("Secret", s.id, { value: markers[5] });
        p.owner.update("DockerImage", img.id, { registryPassword: markers[6] });
        p.owner.create("Secret", { projectId: w.project.id, name: "tok", value: markers[0] }, { idempotencyKey: "k-secret" }); // a retry
        expect(() => p.owner.create("Secret", { projectId: w.project.id, name: "tok", value: markers[7] }, { adoptIdentical: true })).toThrow();
        expectAbsent(fileBytes(p), markers);
        p.db.pragma("wal_checkpoint(TRUNCATE)");
        const afterCheckpoint = fileBytes(p);
        expect(afterCheckpoint).toContain("tok");
        expectAbsent(afterCheckpoint, markers);

        // The columns hold ciphertext and digests only.
        const rows = p.db.prepare("SELECT spec, sealed FROM objects WHERE sealed IS NOT NULL").all() as { spec: string; sealed: string }[];
        expect(rows).toHaveLength(3);
        for (const r of rows) {
            expect(r.sealed).toMatch(/^v1:[A-Za-z0-9+/=]+$/);
            expect(Object.keys(JSON.parse(r.spec))).not.toEqual(expect.arrayContaining(["value"]));
        }
        const hashes = p.db.prepare("SELECT request_hash FROM idempotency_keys").all() as { request_hash: string }[];
        expect(hashes).toHaveLength(1);
        expect(hashes[0].request_hash).toMatch(/^[0-9a-f]{32}$/);
    });

    it("seals each value bound to its row: a ciphertext copied onto another object does not open", () => {
        const p = platform();
        const w = world(p);
        const a = p.owner.create("Secret", { projectId: w.project.id, name: "a", value: "value-a" });
        const b = p.owner.create("Secret", { projectId: w.project.id, name: "b", value: "value-b" });
        p.db.prepare("UPDATE objects SET sealed = (SELECT sealed FROM objects WHERE id = ?) WHERE id = ?").run(a.id, b.id);
        const e = expectError(() => p.owner.get("Secret", b.id));
        expect(e).toMatchObject({ code: "INTERNAL", message: expect.stringMatching(/stored secret of Secret\/sec\w+ cannot be decrypted/) });
        expect(e.message).not.toMatch(/value-a|value-b/);
        expect(p.owner.get("Secret", a.id).id).toBe(a.id);
    });
});

describe("secrets leaving the service", () => {
    it("are never in a returned object: only digests that change when the secret does", () => {
        const p = platform();
        const w = world(p);
        const PLAIN = "PLAINTEXT-IN-VIEW";
        const made = p.owner.create("S3Connector", { projectId: w.project.id, name: "s3", bucket: "abc", accessKeyId: `${PLAIN}-ak`, secretAccessKey: `${PLAIN}-sk` });
        const views = [
            made,
            p.owner.get("S3Connector", made.id),
            p.owner.list("S3Connector"),
            p.service.lookup(OWNER, "S3Connector", { projectId: w.project.id, name: "s3" }),
            p.owner.update("S3Connector", made.id, { mountMode: "READ_WRITE" }),
        ];
        for (const v of views) expect(JSON.stringify(v)).not.toContain(PLAIN);
        expect(made.spec).not.toHaveProperty("accessKeyId");
        expect(made.spec).not.toHaveProperty("secretAccessKey");
        expect(made.secretDigests).toEqual({ accessKeyId: expect.stringMatching(/^v2:[0-9a-f]{32}$/), secretAccessKey: expect.stringMatching(/^v2:[0-9a-f]{32}$/) });
        // The digest is keyed: not a plain hash anyone could compute from a guess.
        const sha = crypto.createHash("sha256").update(`${PLAIN}-ak`).digest("hex");
        expect(sha.startsWith(made.secretDigests.accessKeyId)).toBe(false);
        // Unchanged secrets keep their digest across an update; a rotated one gets a new digest.
        const kept = p.owner.get("S3Connector", made.id);
        expect(kept.secretDigests).toEqual(made.secretDigests);
        const rotated = p.owner.update("S3Connector", made.id, { secretAccessKey: "other" });
        expect(rotated.secretDigests.accessKeyId).toBe(made.secretDigests.accessKeyId);
        expect(rotated.secretDigests.secretAccessKey).not.toBe(made.secretDigests.secretAccessKey);
        // Equal secrets in two objects give different digests: a reader of an object cannot test guesses of its
        // secrets against secrets it made itself (a refresh compares one object's digest with its own earlier one).
        const twin = p.owner.create("Secret", { projectId: w.project.id, name: "twin", value: "other" });
        const triplet = p.owner.create("Secret", { projectId: w.project.id, name: "triplet", value: "other" });
        expect(twin.secretDigests.value).not.toBe(rotated.secretDigests.secretAccessKey);
        expect(twin.secretDigests.value).not.toBe(triplet.secretDigests.value);
    });

    it("are never in an error message, whatever goes wrong", () => {
        const p = platform();
        const w = world(p);
        const SECRET = "PLAINTEXT-IN-ERROR-x9";
        const s = p.owner.create("Secret", { projectId: w.project.id, name: "tok", value: SECRET }, { idempotencyKey: "k" });
        p.owner.create("ProjectMember", { projectId: w.project.id, subject: "userAccount:viewer", role: "viewer" });
        const errors = [
            // invalid values of the secret fields themselves
            expectError(() => p.owner.create("Secret", { projectId: w.project.id, name: "long", value: SECRET.repeat(4000) })),
            expectError(() => p.owner.update("Secret", s.id, { value: "" })),
            expectError(() => p.owner.create("Secret", { projectId: w.project.id, name: "Bad Name", value: SECRET })),
            expectError(() => p.owner.create("Secret", { projectId: w.project.id, name: "typo", valeu: SECRET, value: SECRET })),
            expectError(() => p.owner.create("DockerImage", { projectId: w.project.id, name: "img", image: "BAD", registryPassword: SECRET })),
            // every other refusal around an object holding a secret
            expectError(() => p.owner.create("Secret", { projectId: w.project.id, name: "tok", value: `${SECRET}-2` })),
            expectError(() => p.owner.create("Secret", { projectId: w.project.id, name: "tok", value: `${SECRET}-2` }, { adoptIdentical: true })),
            expectError(() => p.owner.create("Secret", { projectId: w.project.id, name: "other", value: SECRET }, { idempotencyKey: "k" })),
            expectError(() => p.owner.update("Secret", s.id, { projectId: "prjbbbbbbbbbbbbbbbbb" })),
            expectError(() => p.owner.update("Secret", s.id, { value: SECRET }, 7)),
            expectError(() => p.as("userAccount:viewer").update("Secret", s.id, { value: SECRET })),
            expectError(() => p.as("userAccount:viewer").create("Secret", { projectId: w.project.id, name: "v", value: SECRET })),
            expectError(() => p.as("userAccount:nobody").create("Secret", { projectId: w.project.id, name: "v", value: SECRET })),
            expectError(() => p.owner.create("Secret", { projectId: "prjbbbbbbbbbbbbbbbbb", name: "v", value: SECRET })),
        ];
        expect(errors.map((e) => e.code)).toEqual([
            "INVALID_ARGUMENT", "INVALID_ARGUMENT", "INVALID_ARGUMENT", "INVALID_ARGUMENT", "INVALID_ARGUMENT",
            "ALREADY_EXISTS", "ALREADY_EXISTS", "INVALID_ARGUMENT", "FAILED_PRECONDITION", "ABORTED",
            "PERMISSION_DENIED", "PERMISSION_DENIED", "NOT_FOUND", "NOT_FOUND",
        ]);
        for (const e of errors) expect(JSON.stringify(e)).not.toContain("PLAINTEXT-IN-ERROR");
        expect(errors[0].message).toContain("value must be at most 64 KiB, got [secret]");
        expect(errors[6].message).toContain("It differs in value (secret), so it was not adopted");
    });
});
