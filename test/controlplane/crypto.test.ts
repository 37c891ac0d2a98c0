// The encryption key and sealed values: a key file only its owner can read, refused otherwise; a wrong key
// fails clearly; sealed values are random, authenticated and bound to their object.
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { loadOrCreateKeyFile, parseKey, SecretBox } from "../../provider/controlplane/crypto";
import { ControlPlaneService } from "../../provider/controlplane/service";
import { expectError, OWNER, platform, tempDir, world } from "./support";

describe("key file", () => {
    it("is created with mode 0600 in a 0700 folder, and reused", () => {
        const dir = path.join(tempDir(), "k");
        const file = path.join(dir, "platform.key");
        const first = loadOrCreateKeyFile(file);
        expect(first).toHaveLength(32);
        expect(fs.statSync(file).mode & 0o777).toBe(0o600);
        expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
        expect(Buffer.from(fs.readFileSync(file, "utf8").trim(), "base64").equals(first)).toBe(true);
        expect(loadOrCreateKeyFile(file).equals(first)).toBe(true);
    });

    it.each([[0o640, "640"], [0o660, "660"], [0o604, "604"], [0o644, "644"], [0o610, "610"]])("is refused when others can read it (mode %s)", (mode, shown) => {
        const file = path.join(tempDir(), "platform.key");
        loadOrCreateKeyFile(file);
        fs.chmodSync(file, mode);
        expect(expectError(() => loadOrCreateKeyFile(file))).toEqual({
            code: "FAILED_PRECONDITION",
            message: `key file ${file} is readable by others (mode ${shown}). Run: chmod 600 ${file}`,
            failures: [],
        });
    });

    it("is accepted read-only for its owner", () => {
        const file = path.join(tempDir(), "platform.key");
        const key = loadOrCreateKeyFile(file);
        fs.chmodSync(file, 0o400);
        expect(loadOrCreateKeyFile(file).equals(key)).toBe(true);
    });

    it("is refused when it does not hold 32 bytes", () => {
        const file = path.join(tempDir(), "platform.key");
        fs.writeFileSync(file, Buffer.alloc(16).toString("base64"), { mode: 0o600 });
        expect(expectError(() => loadOrCreateKeyFile(file)).message).toBe(`key file ${file} must be 32 bytes encoded in base64, got 16 bytes. Generate one with: openssl rand -base64 32`);
    });
});

describe("configured keys", () => {
    it("must be 32 bytes of base64", () => {
        expect(parseKey(crypto.randomBytes(32).toString("base64"), "k")).toHaveLength(32);
        expect(parseKey(` ${crypto.randomBytes(32).toString("base64")}\n`, "k")).toHaveLength(32);
        expect(expectError(() => parseKey(Buffer.alloc(16).toString("base64"), "MLPLATFORM_ENCRYPTION_KEY")).message)
            .toBe("MLPLATFORM_ENCRYPTION_KEY must be 32 bytes encoded in base64, got 16 bytes. Generate one with: openssl rand -base64 32");
        expect(expectError(() => parseKey("not base64 at all!", "k")).code).toBe("INVALID_ARGUMENT");
        expect(expectError(() => new SecretBox(Buffer.alloc(31))).message).toMatch(/encryption key must be 32 bytes, got 31/);
    });
});

describe("SecretBox", () => {
    const box = new SecretBox(crypto.randomBytes(32));

    it("opens what it sealed, and seals the same value differently each time", () => {
        const a = box.seal({ value: "x", other: "ü✓" }, "Secret/a");
        const b = box.seal({ value: "x", other: "ü✓" }, "Secret/a");
        expect(a).not.toBe(b);
        expect(box.open(a, "Secret/a")).toEqual({ value: "x", other: "ü✓" });
        expect(box.open(b, "Secret/a")).toEqual({ value: "x", other: "ü✓" });
    });

    it("binds a sealed value to its object", () => {
        const sealed = box.seal({ value: "x" }, "Secret/a");
        expect(() => box.open(sealed, "Secret/b")).toThrow(/stored secret of Secret\/b cannot be decrypted/);
    });

    it("detects tampering and unknown formats", () => {
        const sealed = box.seal({ value: "x" }, "Secret/a");
        const raw = Buffer.from(sealed.slice(3), "base64");
        raw[raw.length - 1] ^= 1;
        expect(expectError(() => box.open(`v1:${raw.toString("base64")}`, "Secret/a")).code).toBe("INTERNAL");
        expect(expectError(() => box.open(`v2:${sealed.slice(3)}`, "Secret/a")).message).toBe("stored secret of Secret/a has an unknown format");
        expect(expectError(() => box.open("garbage", "Secret/a")).message).toMatch(/unknown format/);
    });

    it("digests values with its key", () => {
        const other = new SecretBox(crypto.randomBytes(32));
        expect(box.digest("v")).toBe(box.digest("v"));
        expect(box.digest("v")).not.toBe(box.digest("w"));
        expect(box.digest("v")).not.toBe(other.digest("v"));
        expect(box.digest("v")).toMatch(/^[0-9a-f]{32}$/);
    });
});

describe("a wrong key", () => {
    it("cannot open secrets, says so clearly, and leaves everything else readable", () => {
        const p = platform();
        const w = world(p);
        const s = p.owner.create("Secret", { projectId: w.project.id, name: "s", value: "hidden-value" });
        const wrong = new ControlPlaneService(p.db, new SecretBox(crypto.randomBytes(32)));
        const e = expectError(() => wrong.get(OWNER, "Secret", s.id));
        expect(e).toMatchObject({
            code: "INTERNAL",
            message: `stored secret of Secret/${s.id} cannot be decrypted: the encryption key differs from the one it was written with. Configure the original key (MLPLATFORM_ENCRYPTION_KEY or the key file).`,
        });
        expect(e.message).not.toContain("hidden-value");
        expect(expectError(() => wrong.update(OWNER, { kind: "Secret", id: s.id, patch: { description: "x" } })).code).toBe("INTERNAL");
        expect(wrong.get(OWNER, "Project", w.project.id).id).toBe(w.project.id);
        // The right key still opens it: nothing was damaged.
        expect(p.owner.get("Secret", s.id).secretDigests.value).toMatch(/^v2:[0-9a-f]{32}$/);
    });
});
