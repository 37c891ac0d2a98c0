// What the DataSphere client tests share: a configuration pointing every service at the fake, short pauses, and
// how to catch the provider's error.
import * as crypto from "crypto";
import * as fs from "fs";
import type { DataSphereConfig } from "../../provider/client/config";
import { isPlatformError, PlatformError } from "../../provider/model/errors";
import { DataSphereFake, TLS_CERT_FILE } from "./datasphere-fake";

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
export const urn = (kind: string, name: string) => `urn:pulumi:dev::ds::pulumi-nodejs:dynamic/mlplatform:${kind}::${name}`;

export function configFor(fake: DataSphereFake, extra: Partial<DataSphereConfig> = {}): DataSphereConfig {
    return {
        mode: "datasphere",
        credentials: { kind: "iamToken", token: fake.token },
        endpoints: { datasphere: fake.endpoint, operation: fake.endpoint, organizationManager: fake.endpoint, billing: fake.endpoint, iam: fake.endpoint },
        tlsRootCerts: fs.readFileSync(TLS_CERT_FILE, "utf8"),
        ...extra,
    };
}

/** The stack config of a dynamic-provider host whose datasphere backend reaches the fake, with the token as YC users set it. */
export function hostConfigFor(fake: DataSphereFake): Record<string, string> {
    return {
        "mlplatform:backend": "datasphere", "mlplatform:iamToken": fake.token, "mlplatform:tlsRootCertFile": TLS_CERT_FILE,
        "mlplatform:dataSphereEndpoint": fake.endpoint, "mlplatform:operationEndpoint": fake.endpoint,
        "mlplatform:organizationManagerEndpoint": fake.endpoint, "mlplatform:billingEndpoint": fake.endpoint, "mlplatform:iamEndpoint": fake.endpoint,
    };
}

/**
 * A service account's authorized key as `yc iam key create` writes it (the private key after yc's comment line),
 * from a key pair generated here; the fake's IAM knows its public half.
 */
export function authorizedKey(fake: DataSphereFake, serviceAccountId = "ajesa" + crypto.randomBytes(6).toString("hex")): { json: string; keyId: string; serviceAccountId: string; privateKey: string } {
    const { publicKey, privateKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
    const keyId = "ajekey" + crypto.randomBytes(7).toString("hex");
    fake.registerKey(keyId, serviceAccountId, publicKey);
    const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const json = JSON.stringify({
        id: keyId, service_account_id: serviceAccountId, created_at: new Date().toISOString(), key_algorithm: "RSA_2048",
        public_key: publicKey.export({ type: "spki", format: "pem" }).toString(),
        private_key: `PLEASE DO NOT REMOVE THIS LINE! Yandex.Cloud SA Key ID <${keyId}>\n${pem}`,
    }, null, 2);
    return { json, keyId, serviceAccountId, privateKey: pem };
}

/** Short pauses: the tests wait on the fake's answers, never on the clock. */
export const FAST = { retryBaseMs: 1, retryMaxMs: 2, pollFirstMs: 1, pollMaxMs: 2 };

export async function rejection(p: Promise<unknown>): Promise<PlatformError> {
    try {
        await p;
    } catch (e) {
        if (isPlatformError(e)) return e;
        throw e;
    }
    throw new Error("expected a rejection");
}

