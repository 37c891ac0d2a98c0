// Secure stack config (`key: { secure: v1:... }` in Pulumi.<stack>.yaml), decrypted as the Pulumi CLI's passphrase
// secrets provider does, and encrypted as it does for `config set --secret` (stack-config.ts). Written from the CLI's source (github.com/pulumi/pulumi at 1b5949891b), not copied:
//   - pkg/secrets/passphrase/manager.go: the stack file's `encryptionsalt` is `v1:<base64 salt>:<check>`, where
//     <check> is the word "pulumi" encrypted with the key; a passphrase that does not decrypt it is wrong
//     (symmetricCrypterFromPhraseAndState). The passphrase is PULUMI_CONFIG_PASSPHRASE (even empty), else the trimmed
//     contents of the file PULUMI_CONFIG_PASSPHRASE_FILE names (readPassphrase).
//   - sdk/go/common/resource/config/crypt.go: the key is PBKDF2-HMAC-SHA256 of the passphrase and salt, 1,000,000
//     rounds, 32 bytes (NewSymmetricCrypterFromPassphrase); a value is `v1:<base64 12-byte nonce>:<base64 AES-256-GCM
//     ciphertext with its 16-byte tag at the end>` (symmetricCrypter EncryptValue/DecryptValue).
//   - pkg/cmd/pulumi/stack/secrets.go GetSecretsManager: a `secretsprovider` other than "", "default" or "passphrase"
//     is a cloud KMS (awskms://, azurekeyvault://, gcpkms://, hashivault://...); without `encryptionsalt` and such a
//     provider, the values were encrypted by the Pulumi Cloud backend's service provider. Neither can be decrypted
//     here.

import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";

export class ConfigSecretsError extends Error {}

const VERSION = "v1";
const PBKDF2_ROUNDS = 1_000_000;
const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** What the passphrase provider encrypts into `encryptionsalt` to recognize the right passphrase. */
const CHECK_WORD = "pulumi";

/** Encrypts and decrypts config values with one passphrase-derived key. */
export class PassphraseCrypter {
    private constructor(private readonly key: Buffer) {}

    /**
     * The crypter of a stack file's `encryptionsalt`, or a ConfigSecretsError when the passphrase is not the one it
     * was made with.
     */
    static open(encryptionSalt: string, passphrase: string, where: string): PassphraseCrypter {
        const [version, salt, ...check] = encryptionSalt.split(":");
        if (version !== VERSION || !salt || check.length !== 3) {
            throw new ConfigSecretsError(`${where}: encryptionsalt is not a Pulumi passphrase salt (v1:<salt>:v1:<nonce>:<check>), got ${JSON.stringify(encryptionSalt)}. Restore it from version control: the values encrypted with it cannot be read without it.`);
        }
        const crypter = new PassphraseCrypter(deriveKey(passphrase, Buffer.from(salt, "base64")));
        if (crypter.tryDecrypt(check.join(":")) !== CHECK_WORD) {
            throw new ConfigSecretsError(
                `${where}: incorrect passphrase: it is not the one the stack's config was encrypted with (encryptionsalt). ` +
                    "Set PULUMI_CONFIG_PASSPHRASE to the correct passphrase, or PULUMI_CONFIG_PASSPHRASE_FILE to a file containing it.",
            );
        }
        return crypter;
    }

    /** A new salt for a passphrase and its crypter, as `pulumi stack init` with the passphrase provider makes them. */
    static create(passphrase: string): { encryptionSalt: string; crypter: PassphraseCrypter } {
        const salt = crypto.randomBytes(8);
        const crypter = new PassphraseCrypter(deriveKey(passphrase, salt));
        return { encryptionSalt: `${VERSION}:${salt.toString("base64")}:${crypter.encrypt(CHECK_WORD)}`, crypter };
    }

    encrypt(plaintext: string): string {
        const nonce = crypto.randomBytes(NONCE_BYTES);
        const cipher = crypto.createCipheriv("aes-256-gcm", this.key, nonce);
        const sealed = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
        return `${VERSION}:${nonce.toString("base64")}:${sealed.toString("base64")}`;
    }

    /** The plaintext, or a ConfigSecretsError naming the key (never the ciphertext's contents). */
    decrypt(ciphertext: string, key: string, where: string): string {
        const plaintext = this.tryDecrypt(ciphertext);
        if (plaintext === undefined) {
            throw new ConfigSecretsError(
                `${where}: the secure value of '${key}' cannot be decrypted with this passphrase: it is malformed or was encrypted for another stack. ` +
                    "Set it again for this stack: `mlplatform-engine config set <programDir> <key> --secret` (or `pulumi config set --secret <key>`).",
            );
        }
        return plaintext;
    }

    private tryDecrypt(ciphertext: string): string | undefined {
        const parts = ciphertext.split(":");
        if (parts.length !== 3 || parts[0] !== VERSION) return undefined;
        const nonce = Buffer.from(parts[1], "base64");
        const sealed = Buffer.from(parts[2], "base64");
        if (nonce.length !== NONCE_BYTES || sealed.length < TAG_BYTES) return undefined;
        try {
            const decipher = crypto.createDecipheriv("aes-256-gcm", this.key, nonce);
            decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
            return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)), decipher.final()]).toString("utf8");
        } catch {
            // The tag does not match: another key, or the text was changed.
            return undefined;
        }
    }
}

function deriveKey(passphrase: string, salt: Buffer): Buffer {
    return crypto.pbkdf2Sync(Buffer.from(passphrase, "utf8"), salt, PBKDF2_ROUNDS, KEY_BYTES, "sha256");
}

/**
 * The passphrase as the CLI finds it off a terminal (manager.go readPassphrase). `purpose` begins the error when
 * there is none: what needed it.
 */
export function readPassphrase(env: NodeJS.ProcessEnv, purpose: string): string {
    const phrase = env.PULUMI_CONFIG_PASSPHRASE;
    if (phrase !== undefined) return phrase;
    const file = env.PULUMI_CONFIG_PASSPHRASE_FILE;
    if (file) {
        try {
            return fs.readFileSync(path.resolve(file), "utf8").trim();
        } catch (e) {
            throw new ConfigSecretsError(`unable to read PULUMI_CONFIG_PASSPHRASE_FILE ${file}: ${(e as Error).message}`);
        }
    }
    throw new ConfigSecretsError(
        `${purpose}: the passphrase must be set with PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE environment variables.`,
    );
}

/**
 * The stack file's passphrase salt, or undefined when it has none; a ConfigSecretsError when a cloud secrets provider
 * encrypts its values, as the CLI decides (secrets.go GetSecretsManager).
 */
function passphraseSalt(stackFile: StackSecretsSettings, where: string): string | undefined {
    const provider = stackFile.secretsprovider;
    if (provider !== undefined && provider !== "" && provider !== "default" && provider !== "passphrase") {
        throw new ConfigSecretsError(
            `${where}: secretsprovider ${JSON.stringify(provider)} is a cloud secrets provider, which this engine cannot use; it decrypts only passphrase-encrypted config (encryptionsalt). ` +
                "Pass the secret values with --config for the run, or re-encrypt the stack's config with a passphrase: `pulumi stack change-secrets-provider passphrase`.",
        );
    }
    return typeof stackFile.encryptionsalt === "string" && stackFile.encryptionsalt !== "" ? stackFile.encryptionsalt : undefined;
}

/** Secure values without a salt: the Pulumi Cloud backend's secrets provider encrypted them. */
function cloudEncryptedError(where: string): ConfigSecretsError {
    return new ConfigSecretsError(
        `${where} has secure values but no encryptionsalt: they were encrypted by the Pulumi Cloud's secrets provider, which this engine cannot use. ` +
            "Pass the secret values with --config for the run, or re-encrypt the stack's config with a passphrase: `pulumi stack change-secrets-provider passphrase`.",
    );
}

/** The top-level keys of a stack file that say how its secure values are encrypted. */
interface StackSecretsSettings {
    secretsprovider?: unknown;
    encryptionsalt?: unknown;
}

/**
 * What decrypts a stack file's secure values, decided as the CLI decides (secrets.go GetSecretsManager), made only
 * when a secure value is met: a stack file the CLI wrote always has a salt, and a stack without secure values runs
 * without a passphrase.
 */
export function configDecrypter(stackFile: StackSecretsSettings, where: string, env: NodeJS.ProcessEnv): () => PassphraseCrypter {
    let crypter: PassphraseCrypter | undefined;
    return () => {
        if (crypter) return crypter;
        const salt = passphraseSalt(stackFile, where);
        if (salt === undefined) throw cloudEncryptedError(where);
        crypter = PassphraseCrypter.open(salt, readPassphrase(env, `${where} holds secure values`), where);
        return crypter;
    };
}

/**
 * What encrypts a new secure value for a stack file: its salt opened with the passphrase (a wrong one refused), or,
 * when the file has no salt, a new one (`createdSalt`, for the file), as the CLI's passphrase provider makes it for a
 * stack that has none (manager.go NewPromptingPassphraseSecretsManager). A file with secure values and no salt was
 * encrypted by the Pulumi Cloud: a new salt would leave them unreadable to the CLI, so it is refused.
 */
export function configEncrypter(
    stackFile: StackSecretsSettings,
    where: string,
    env: NodeJS.ProcessEnv,
    { purpose, hasSecureValues }: { purpose: string; hasSecureValues: boolean },
): { crypter: PassphraseCrypter; createdSalt?: string } {
    const salt = passphraseSalt(stackFile, where);
    if (salt !== undefined) return { crypter: PassphraseCrypter.open(salt, readPassphrase(env, purpose), where) };
    if (hasSecureValues) throw cloudEncryptedError(where);
    const { encryptionSalt, crypter } = PassphraseCrypter.create(readPassphrase(env, purpose));
    return { crypter, createdSalt: encryptionSalt };
}
