// The IAM token every call carries, from the configured credential: a static IAM token as given; an authorized key
// (a PS256 JWT signed with it) or an OAuth token exchanged at IamTokenService.Create; or the VM metadata service's.
// The SDK has token services of its own, but they cannot be used here: its exchange always goes to
// iam.api.cloud.yandex.net with the system's CAs (no endpoint or root certificate for a private installation or a
// test), it exchanges an OAuth token again on every call, and it asks the metadata service once more after 30 s and
// then never again, so a long-lived host keeps an expired token; its metadata requests have no timeout. Here a token
// is reused until three quarters of its life or an hour have passed (Yandex Cloud advises a new token every hour),
// one exchange serves every call waiting for it, a token the platform refuses is dropped so the next attempt gets a
// new one, and every failure names the credential (where it was set, the key and account ids) and never shows it.
import * as crypto from "crypto";
import * as http from "http";
import { PlatformError } from "../../model/errors";
import { type DataSphereConfig, METADATA_TOKEN_URL, SETTINGS } from "../config";
import { failureOf, providerCodeOf, RETRYABLE } from "./errors";
import { pauseBeforeRetry, type Tuning } from "./timing";

/** The audience IAM expects in an authorized key's JWT (Yandex Cloud IAM docs; the SDK signs the same). */
export const IAM_TOKEN_AUDIENCE = "https://iam.api.cloud.yandex.net/iam/v1/tokens";
/** A JWT may live at most an hour; IAM takes it only once it is issued, so it is made afresh for each exchange. */
const JWT_LIFETIME_S = 3600;
/** Yandex Cloud advises asking for a new IAM token every hour, although one lives up to 12. */
const MAX_REUSE_MS = 60 * 60_000;
/** Values kept to scrub from messages: the tokens of the last exchanges (older ones are long expired). */
const REMEMBERED_TOKENS = 16;

export interface IssuedToken {
    readonly token: string;
    /** When the issuer says it expires; unknown: reused for MAX_REUSE_MS at most. */
    readonly expiresAt?: Date;
}

/** IamTokenService.Create on the configured endpoint, with one of the two requests it takes. */
export type IamExchange = (request: { jwt: string } | { yandexPassportOauthToken: string }) => Promise<IssuedToken>;

/** One credential, for the calls that need its token. */
export interface TokenSource {
    /** A token to send now: the held one while it is fresh, else a new one (one request for every caller). */
    token(): Promise<string>;
    /** Drops `token` when it is the one held (the platform refused it); false when there is nothing to renew. */
    forget(token: string): boolean;
    /** What must never be shown: the credential and the tokens it was exchanged for. */
    secrets(): readonly string[];
    /** What to do when the platform refuses this credential's token, naming the credential. */
    readonly refusedAdvice: string;
}

/** A private key's lines long enough to be recognised alone, so a message quoting part of the key is scrubbed too. */
const keyLines = (pem: string) => pem.split("\n").map((l) => l.trim()).filter((l) => l.length >= 16);

/** A token reused while fresh, renewed by `obtain`; `renewable` false for a token given as it is. */
class HeldToken implements TokenSource {
    private held?: { token: string; renewAt: number };
    private pending?: Promise<string>;
    private readonly issued: string[] = [];

    constructor(private readonly obtain: () => Promise<IssuedToken>, private readonly renewable: boolean, private readonly fixed: readonly string[], readonly refusedAdvice: string) {}

    token(): Promise<string> {
        if (this.held && Date.now() < this.held.renewAt) return Promise.resolve(this.held.token);
        this.pending ??= this.renew().finally(() => (this.pending = undefined));
        return this.pending;
    }

    private async renew(): Promise<string> {
        const askedAt = Date.now();
        const { token, expiresAt } = await this.obtain();
        this.issued.push(token);
        if (this.issued.length > REMEMBERED_TOKENS) this.issued.shift();
        const life = expiresAt ? expiresAt.getTime() - askedAt : MAX_REUSE_MS;
        this.held = { token, renewAt: this.renewable ? askedAt + Math.min(MAX_REUSE_MS, life * 0.75) : Infinity };
        return token;
    }

    forget(token: string): boolean {
        if (!this.renewable || this.held?.token !== token) return false;
        this.held = undefined;
        return true;
    }

    secrets(): readonly string[] {
        return [...this.fixed, ...this.issued];
    }
}

/** An authorized key's JWT: PS256 (RSASSA-PSS, SHA-256, 32-byte salt, RFC 7518 §3.5), `kid` the key id, `iss` the account. */
export function signedJwt(key: { serviceAccountId: string; accessKeyId: string; privateKey: crypto.KeyObject }, now = Date.now()): string {
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const iat = Math.floor(now / 1000);
    const signingInput = `${part({ typ: "JWT", alg: "PS256", kid: key.accessKeyId })}.${part({ iss: key.serviceAccountId, aud: IAM_TOKEN_AUDIENCE, iat, exp: iat + JWT_LIFETIME_S })}`;
    const signature = crypto.sign("sha256", Buffer.from(signingInput), { key: key.privateKey, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
    return `${signingInput}.${signature.toString("base64url")}`;
}

/** The token source of a configuration. `exchange` reaches IamTokenService.Create on config.endpoints.iam. */
export function tokenSource(config: DataSphereConfig, tuning: Tuning, exchange: IamExchange): TokenSource {
    const c = config.credentials;
    const iam = `Yandex Cloud IAM at ${config.endpoints.iam}`;
    switch (c.kind) {
        case "iamToken": {
            const from = c.from ?? "mlplatform:iamToken";
            return new HeldToken(async () => ({ token: c.token }), false, [c.token],
                `Yandex Cloud refused the IAM token from ${from}: an IAM token lives at most 12 hours. Get a new one with \`yc iam create-token\` and set it there, `
                + `or use a service account's authorized key (mlplatform:serviceAccountKeyFile or ${SETTINGS.serviceAccountKeyFile.env}), for which the provider gets new tokens itself.`);
        }
        case "oauthToken": {
            const name = `the OAuth token from ${c.from ?? "mlplatform:iamToken"}`;
            const fix = `It may be revoked or expired: get a new one, or better an IAM token (\`yc iam create-token\`) or a service account's authorized key (mlplatform:serviceAccountKeyFile); `
                + "Yandex Cloud discontinues OAuth tokens by the end of 2026.";
            let tokens: TokenSource;
            const obtain = () => exchanged(tuning, () => exchange({ yandexPassportOauthToken: c.token }), `${iam} refused to exchange ${name} for an IAM token`, fix, (t) => scrubWith(tokens.secrets(), t));
            tokens = new HeldToken(obtain, true, [c.token], `Yandex Cloud refused the IAM token exchanged for ${name}, also after a new one was issued. ${fix}`);
            return tokens;
        }
        case "serviceAccountKey": {
            const name = `service account ${c.serviceAccountId} (authorized key ${c.accessKeyId}${c.from ? `, from ${c.from}` : ""})`;
            const fix = `Check that the key still exists (yc iam key list --service-account-id ${c.serviceAccountId}) and that the file is the one yc wrote for it, `
                + `or create a new key: yc iam key create --service-account-id ${c.serviceAccountId} --output key.json`;
            const privateKey = crypto.createPrivateKey(c.privateKey);
            const jwts: string[] = [];
            let tokens: TokenSource;
            const obtain = () => exchanged(tuning, () => {
                const jwt = signedJwt({ serviceAccountId: c.serviceAccountId, accessKeyId: c.accessKeyId, privateKey });
                jwts.splice(0, jwts.length, jwt);
                return exchange({ jwt });
            }, `${iam} refused to issue an IAM token for ${name}`, fix, (t) => scrubWith([...tokens.secrets(), ...jwts], t));
            tokens = new HeldToken(obtain, true, [c.privateKey, ...keyLines(c.privateKey)],
                `Yandex Cloud refused the IAM token issued for ${name}, also after a new one was issued: the service account may be deleted or lack access (yc iam service-account get ${c.serviceAccountId}).`);
            return tokens;
        }
        case "metadata": {
            const url = config.metadataUrl ?? METADATA_TOKEN_URL;
            return new HeldToken(() => metadataToken(url, tuning), true, [],
                `Yandex Cloud refused the IAM token of this VM's service account (from the metadata service at ${url}), also after a new one was fetched: `
                + "check the service account attached to the VM, or set mlplatform:iamToken (YC_TOKEN) or mlplatform:serviceAccountKeyFile (YC_SERVICE_ACCOUNT_KEY_FILE).");
        }
    }
}

export function scrubWith(secrets: readonly string[], text: string): string {
    let out = text;
    for (const secret of secrets) if (secret.length >= 8) out = out.split(secret).join("[secret]");
    return out;
}

/**
 * One token exchange, tried again on the statuses any call is (an exchange changes nothing, so it is safe to
 * repeat); a refusal becomes the provider's error: `<what>: <STATUS>: <details> (request id …). <fix>`.
 */
async function exchanged(tuning: Tuning, ask: () => Promise<IssuedToken>, what: string, fix: string, scrub: (text: string) => string): Promise<IssuedToken> {
    for (let attempt = 1; ; attempt++) {
        try {
            const issued = await ask();
            if (!issued.token) throw new PlatformError("UNAUTHENTICATED", `${what}: it answered without a token. ${fix}`);
            return issued;
        } catch (e) {
            if (e instanceof PlatformError) throw e;
            const f = failureOf(e);
            if (RETRYABLE.includes(f.status) && attempt < tuning.attempts) {
                await pauseBeforeRetry(tuning, attempt);
                continue;
            }
            const ids = [f.requestId ? `request id ${f.requestId}` : "", attempt > 1 ? `${attempt} attempts` : ""].filter(Boolean);
            const unreachable = ["UNAVAILABLE", "DEADLINE_EXCEEDED", "CANCELLED"].includes(f.status);
            const advice = !unreachable ? fix
                : /certificate|self.signed|SSL|TLS/i.test(f.details) ? "Its TLS certificate is not trusted: for a private installation set mlplatform:tlsRootCertFile to its CA certificate."
                    : `It could not be reached: check the network and mlplatform:iamEndpoint (${SETTINGS.iamEndpoint.env}).`;
            throw new PlatformError(f.status === "UNAUTHENTICATED" || f.status === "INVALID_ARGUMENT" ? "UNAUTHENTICATED" : providerCodeOf(f.status),
                scrub(`${what}: ${f.status}: ${f.details || "no details"}${ids.length ? ` (${ids.join(", ")})` : ""}. ${advice}`));
        }
    }
}

/** The metadata service's answer, at most this long (a token and two numbers). */
const METADATA_BODY_LIMIT = 64 * 1024;

/**
 * The VM's token from its metadata service (`{access_token, expires_in, token_type}`, asked with `Metadata-Flavor:
 * Google` as on Compute Engine). Off a Yandex Cloud VM nothing answers: within metadataTimeoutMs that becomes an error
 * that says what to set, instead of the SDK's five attempts without a timeout. A 5xx is tried again.
 */
async function metadataToken(url: string, tuning: Tuning): Promise<IssuedToken> {
    const fail = (why: string) => new PlatformError("UNAUTHENTICATED", `No Yandex Cloud credentials are configured and the VM metadata service (${url}) ${why}, so the provider cannot act as anyone. `
        + `Set mlplatform:iamToken (or ${SETTINGS.iamToken.env}) to an IAM token (\`yc iam create-token\`), or mlplatform:serviceAccountKeyFile (or ${SETTINGS.serviceAccountKeyFile.env}) `
        + "to a service account's authorized key; or run on a Yandex Cloud VM that has a service account.");
    for (let attempt = 1; ; attempt++) {
        const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
            const req = http.get(url, { headers: { "Metadata-Flavor": "Google" }, timeout: tuning.metadataTimeoutMs }, (res) => {
                let body = "";
                res.setEncoding("utf8");
                res.on("data", (d: string) => {
                    body += d;
                    if (body.length > METADATA_BODY_LIMIT) req.destroy(new Error("an answer too long for a token"));
                });
                res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
                res.on("error", reject);
            });
            req.on("timeout", () => req.destroy(new Error("timeout")));
            req.on("error", (e) => reject(fail(e.message === "timeout" ? `did not answer within ${tuning.metadataTimeoutMs / 1000} s (this is no Yandex Cloud VM)`
                : `cannot be reached (${(e as NodeJS.ErrnoException).code ?? e.message})`)));
        });
        if (answer.status >= 500 && attempt < tuning.attempts) {
            await pauseBeforeRetry(tuning, attempt);
            continue;
        }
        if (answer.status !== 200) throw fail(`answered HTTP ${answer.status}${answer.status === 404 ? " (no service account is attached to this VM?)" : ""}`);
        // The body holds the token: never shown, whatever is wrong with it.
        let parsed: { access_token?: unknown; expires_in?: unknown };
        try {
            parsed = JSON.parse(answer.body);
        } catch {
            throw fail("answered with something that is not JSON (not shown)");
        }
        if (typeof parsed?.access_token !== "string" || parsed.access_token === "") throw fail("answered without an access_token (the answer is not shown)");
        const expiresIn = typeof parsed.expires_in === "number" && parsed.expires_in > 0 ? parsed.expires_in : undefined;
        return { token: parsed.access_token, ...(expiresIn ? { expiresAt: new Date(Date.now() + expiresIn * 1000) } : {}) };
    }
}
