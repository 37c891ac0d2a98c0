// The database file and the key: migrations, refusing a newer schema, key files, wrong keys.
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { loadOrCreateKeyFile, parseKey, SecretBox } from "../../provider/controlplane/crypto";
import { ControlPlaneService } from "../../provider/controlplane/service";
import { MIGRATIONS, openDatabase } from "../../provider/controlplane/store";
import { expectError } from "./support";

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "mlp-store-"));

describe("database file", () => {
    it("opens in WAL mode with foreign keys, migrates once, and reopens without changes", () => {
        const file = path.join(tmp(), "platform.db");
        const db = openDatabase(file);
        expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
        expect(db.pragma("foreign_keys", { simple: true })).toBe(1);
        expect(db.pragma("user_version", { simple: true })).toBe(MIGRATIONS.length);
        db.close();
        const again = openDatabase(file);
        expect(again.pragma("user_version", { simple: true })).toBe(MIGRATIONS.length);
        again.close();
    });

    it("refuses a database written by a newer version", () => {
        const file = path.join(tmp(), "platform.db");
        const raw = new Database(file);
        raw.pragma(`user_version = ${MIGRATIONS.length + 1}`);
        raw.close();
        expect(expectError(() => openDatabase(file))).toMatchObject({ code: "FAILED_PRECONDITION", message: expect.stringMatching(/newer than this provider understands.*Upgrade pulumi-mlplatform/) });
    });
});

describe("encryption key", () => {
    it("creates a key file readable only by its owner and reuses it", () => {
        const file = path.join(tmp(), "k", "platform.key");
        const first = loadOrCreateKeyFile(file);
        expect(first).toHaveLength(32);
        expect(fs.statSync(file).mode & 0o777).toBe(0o600);
        expect(loadOrCreateKeyFile(file).equals(first)).toBe(true);
    });

    it("refuses a key file others can read", () => {
        const file = path.join(tmp(), "platform.key");
        loadOrCreateKeyFile(file);
        fs.chmodSync(file, 0o644);
        expect(expectError(() => loadOrCreateKeyFile(file)).message).toMatch(/readable by others \(mode 644\)\. Run: chmod 600/);
    });

    it("rejects a configured key of the wrong size", () => {
        expect(expectError(() => parseKey(Buffer.alloc(16).toString("base64"), "MLPLATFORM_ENCRYPTION_KEY")).message).toMatch(/must be 32 bytes encoded in base64, got 16 bytes/);
    });

    it("cannot open secrets with another key, and says so without leaking them", () => {
        const file = path.join(tmp(), "platform.db");
        const right = new ControlPlaneService(openDatabase(file), new SecretBox(crypto.randomBytes(32)));
        const org = right.create("userAccount:owner", { kind: "Organization", spec: { name: "acme", displayName: "A", defaultZone: "ru-central1-a" } });
        const acc = right.create("userAccount:owner", { kind: "BillingAccount", spec: { organizationId: org.id, name: "b", status: "active" } });
        const com = right.create("userAccount:owner", { kind: "Community", spec: { organizationId: org.id, name: "c", zone: "ru-central1-a" } });
        right.create("userAccount:owner", { kind: "BillingLink", spec: { communityId: com.id, billingAccountId: acc.id } });
        const prj = right.create("userAccount:owner", { kind: "Project", spec: { communityId: com.id, name: "p" } });
        const s = right.create("userAccount:owner", { kind: "Secret", spec: { projectId: prj.id, name: "s", value: "hidden-value" } });
        const wrong = new ControlPlaneService(openDatabase(file), new SecretBox(crypto.randomBytes(32)));
        const e = expectError(() => wrong.get("userAccount:owner", "Secret", s.id));
        expect(e.message).toMatch(/cannot be decrypted: the encryption key differs/);
        expect(e.message).not.toContain("hidden-value");
    });

    it("binds a sealed value to its object", () => {
        const box = new SecretBox(crypto.randomBytes(32));
        const sealed = box.seal({ value: "x" }, "Secret/a");
        expect(box.open(sealed, "Secret/a")).toEqual({ value: "x" });
        expect(() => box.open(sealed, "Secret/b")).toThrow(/cannot be decrypted/);
    });
});
