// Secrets at rest: AES-256-GCM with a 32-byte key from configuration or from a key file that only its owner
// can read. Each sealed value is bound to its object (additional authenticated data), so a ciphertext copied
// onto another row fails to open instead of leaking.
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { PlatformError } from "../model/errors";

const FORMAT = "v1";

export class SecretBox {
    private readonly digestKey: Buffer;

    constructor(private readonly key: Buffer) {
        if (key.length !== 32) throw new PlatformError("INVALID_ARGUMENT", `encryption key must be 32 bytes, got ${key.length}. Generate one with: openssl rand -base64 32`);
        this.digestKey = Buffer.from(crypto.hkdfSync("sha256", key, Buffer.alloc(0), "mlplatform secret digest", 32));
    }

    seal(plain: Record<string, unknown>, boundTo: string): string {
        const iv = crypto.randomBytes(12);
        const cipher = crypto.createCipheriv("aes-256-gcm", this.key, iv);
        cipher.setAAD(Buffer.from(boundTo));
        const body = Buffer.concat([cipher.update(JSON.stringify(plain), "utf8"), cipher.final()]);
        return `${FORMAT}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64")}`;
    }

    open(sealed: string, boundTo: string): Record<string, unknown> {
        const [format, payload] = sealed.split(":", 2);
        if (format !== FORMAT || !payload) throw new PlatformError("INTERNAL", `stored secret of ${boundTo} has an unknown format`);
        const raw = Buffer.from(payload, "base64");
        const decipher = crypto.createDecipheriv("aes-256-gcm", this.key, raw.subarray(0, 12));
        decipher.setAAD(Buffer.from(boundTo));
        decipher.setAuthTag(raw.subarray(12, 28));
        try {
            return JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8"));
        } catch {
            throw new PlatformError("INTERNAL", `stored secret of ${boundTo} cannot be decrypted: the encryption key differs from the one it was written with. Configure the original key (MLPLATFORM_ENCRYPTION_KEY or the key file).`);
        }
    }

    /** A keyed fingerprint: lets a refresh notice a changed secret without ever reading it back. */
    digest(value: string): string {
        return crypto.createHmac("sha256", this.digestKey).update(value).digest("hex").slice(0, 32);
    }
}

export function parseKey(text: string, source: string): Buffer {
    const key = Buffer.from(text.trim(), "base64");
    if (key.length !== 32) {
        throw new PlatformError("INVALID_ARGUMENT", `${source} must be 32 bytes encoded in base64, got ${key.length} bytes. Generate one with: openssl rand -base64 32`);
    }
    return key;
}

/**
 * Reads the key file, creating it (mode 0600, exclusive create so two processes never write different keys)
 * when it does not exist. Refuses a key file that others can read.
 */
export function loadOrCreateKeyFile(file: string): Buffer {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    try {
        fs.writeFileSync(file, crypto.randomBytes(32).toString("base64") + "\n", { flag: "wx", mode: 0o600 });
    } catch (e: any) {
        if (e.code !== "EEXIST") throw e;
    }
    const mode = fs.statSync(file).mode & 0o777;
    if (process.platform !== "win32" && (mode & 0o077) !== 0) {
        throw new PlatformError("FAILED_PRECONDITION", `key file ${file} is readable by others (mode ${mode.toString(8)}). Run: chmod 600 ${file}`);
    }
    // Another process may have created the file a moment ago and not written it yet.
    for (let attempt = 0; ; attempt++) {
        const text = fs.readFileSync(file, "utf8");
        if (text.trim() || attempt >= 50) return parseKey(text, `key file ${file}`);
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
}
