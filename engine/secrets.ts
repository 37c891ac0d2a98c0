// Encryption of secret values in the state file and its journal: AES-256-GCM with one key per stack.
//
// The key comes from MLPLATFORM_ENGINE_PASSPHRASE (scrypt with a per-stack random salt kept in the state file) or,
// without a passphrase, from a random key file next to the state (<stack>.key, mode 0600). Which one a stack uses
// is recorded in the state file, so a later run cannot silently switch. A known value encrypted with the key
// (`check`) lets a wrong passphrase fail with a clear message instead of garbage.

import * as crypto from "crypto";
import * as fs from "fs";

export const PASSPHRASE_ENV = "MLPLATFORM_ENGINE_PASSPHRASE";

export type SecretsConfig =
    | { type: "passphrase"; salt: string; check: string }
    | { type: "keyfile"; check: string };

const CHECK_PLAINTEXT = "mlplatform-engine secrets check";
const FORMAT = "v1";

class SecretsError extends Error {}

export class SecretsManager {
    private key: Buffer | undefined;

    /**
     * @param config what the state file says (undefined for a stack that never stored a secret)
     * @param keyFile where the random key lives when no passphrase is used
     * @param passphrase MLPLATFORM_ENGINE_PASSPHRASE, if set
     */
    constructor(
        private config: SecretsConfig | undefined,
        private readonly keyFile: string,
        private readonly passphrase: string | undefined,
    ) {}

    /** The configuration to store in the state file; undefined until a key has been needed. */
    get stateConfig(): SecretsConfig | undefined {
        return this.config;
    }

    /** Takes the configuration a journal recorded for a stack whose state file was written before its first key. */
    adopt(config: SecretsConfig): void {
        this.config ??= config;
    }

    encrypt(plaintext: string): string {
        const key = this.getKey(true);
        const iv = crypto.randomBytes(12);
        const cipher = crypto.createCipheriv("aes-256-gcm", key, iv);
        const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
        return `${FORMAT}:${iv.toString("base64")}:${body.toString("base64")}`;
    }

    decrypt(ciphertext: string): string {
        return decryptWith(this.getKey(false), ciphertext);
    }

    /** Loads or derives the key; creates a new one only when `create` (i.e. when something must be encrypted). */
    private getKey(create: boolean): Buffer {
        if (this.key) {
            return this.key;
        }
        if (this.config === undefined) {
            if (!create) {
                throw new SecretsError("the state holds encrypted values but no secrets configuration");
            }
            this.config = this.initialize();
            return this.key!;
        }
        const key = this.config.type === "passphrase" ? this.derive(this.config.salt) : this.readKeyFile();
        try {
            if (decryptWith(key, this.config.check) !== CHECK_PLAINTEXT) {
                throw new Error("mismatch");
            }
        } catch {
            throw new SecretsError(
                this.config.type === "passphrase"
                    ? `incorrect passphrase: ${PASSPHRASE_ENV} does not decrypt this stack's secrets`
                    : `the key file ${this.keyFile} does not decrypt this stack's secrets`,
            );
        }
        this.key = key;
        return key;
    }

    private initialize(): SecretsConfig {
        if (this.passphrase !== undefined && this.passphrase !== "") {
            const salt = crypto.randomBytes(16).toString("base64");
            this.key = this.derive(salt);
            return { type: "passphrase", salt, check: this.encryptCheck() };
        }
        const key = crypto.randomBytes(32);
        try {
            // "wx": never overwrite an existing key, that would make existing secrets unreadable.
            fs.writeFileSync(this.keyFile, key.toString("base64") + "\n", { mode: 0o600, flag: "wx" });
            this.key = key;
        } catch (e) {
            if ((e as NodeJS.ErrnoException).code !== "EEXIST") {
                throw e;
            }
            this.key = this.readKeyFile();
        }
        return { type: "keyfile", check: this.encryptCheck() };
    }

    private encryptCheck(): string {
        return this.encrypt(CHECK_PLAINTEXT);
    }

    private derive(salt: string): Buffer {
        if (this.passphrase === undefined || this.passphrase === "") {
            throw new SecretsError(`this stack's secrets are encrypted with a passphrase: set ${PASSPHRASE_ENV}`);
        }
        return crypto.scryptSync(this.passphrase, Buffer.from(salt, "base64"), 32, { N: 1 << 15, r: 8, p: 1, maxmem: 64 << 20 });
    }

    private readKeyFile(): Buffer {
        let text: string;
        try {
            text = fs.readFileSync(this.keyFile, "utf8");
        } catch (e) {
            throw new SecretsError(
                `cannot read the secrets key ${this.keyFile} (${(e as Error).message}); ` +
                    "without it the secrets in this stack's state cannot be decrypted",
            );
        }
        const key = Buffer.from(text.trim(), "base64");
        if (key.length !== 32) {
            throw new SecretsError(`the secrets key ${this.keyFile} is not a 32-byte base64 key`);
        }
        return key;
    }
}

function decryptWith(key: Buffer, ciphertext: string): string {
    const [format, ivText, bodyText] = ciphertext.split(":");
    if (format !== FORMAT || ivText === undefined || bodyText === undefined) {
        throw new SecretsError("unrecognized ciphertext format");
    }
    const body = Buffer.from(bodyText, "base64");
    const decipher = crypto.createDecipheriv("aes-256-gcm", key, Buffer.from(ivText, "base64"));
    decipher.setAuthTag(body.subarray(body.length - 16));
    return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString("utf8");
}
