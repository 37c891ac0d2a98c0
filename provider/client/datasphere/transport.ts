// How every call reaches Yandex Cloud: one SDK Session per configuration (TLS always, the configured credentials,
// an optional root certificate for a private installation), one client per service, and one wrapper for every
// unary call that the SDK leaves bare: a deadline, retries of reads and keyed mutations with backoff, the
// idempotency key in the call's metadata (the same on every attempt), the platform's request id, and errors
// turned into the provider's. Long-running operations are followed by our own poller (operations.ts): the SDK's
// waitForOperation can hang forever and rejects with a non-Error.
import { createRequire } from "module";
import * as crypto from "crypto";
import * as http from "http";
import { PlatformError } from "../../model/errors";
import type { Metadata as NiceMetadata } from "nice-grpc";
import { Session } from "@yandex-cloud/nodejs-sdk/dist/session";
import type { SessionConfig, WrappedServiceClientType } from "@yandex-cloud/nodejs-sdk/dist/types";
import { CommunityServiceClient, CommunityServiceService } from "@yandex-cloud/nodejs-sdk/dist/generated/yandex/cloud/datasphere/v2/community_service";
import { ProjectServiceClient, ProjectServiceService } from "@yandex-cloud/nodejs-sdk/dist/generated/yandex/cloud/datasphere/v2/project_service";
import { OperationServiceClient, OperationServiceService } from "@yandex-cloud/nodejs-sdk/dist/generated/yandex/cloud/operation/operation_service";
import { OrganizationServiceClient, OrganizationServiceService } from "@yandex-cloud/nodejs-sdk/dist/generated/yandex/cloud/organizationmanager/v1/organization_service";
import { BillingAccountServiceClient, BillingAccountServiceService } from "@yandex-cloud/nodejs-sdk/dist/generated/yandex/cloud/billing/v1/billing_account_service";
import { callGate } from "../call-limit";
import type { DataSphereConfig } from "../config";
import { Attempt, cloudError, failureOf, RETRYABLE } from "./errors";

// nice-grpc comes with the SDK; resolved from the SDK's own folder, so it is the copy the SDK uses even where npm
// did not hoist it next to this package.
const sdkRequire = createRequire(require.resolve("@yandex-cloud/nodejs-sdk/dist/session"));
const Metadata: typeof NiceMetadata = sdkRequire("nice-grpc").Metadata;

/** Timing of retries, polls and deadlines. Tests shorten it; nothing else should need to. */
export interface Tuning {
    /** Attempts of a read or a keyed mutation, the first included. */
    readonly attempts: number;
    /** First pause before a retry; doubles each time (with jitter) up to retryMaxMs. */
    readonly retryBaseMs: number;
    readonly retryMaxMs: number;
    /** How long one call may take. */
    readonly callTimeoutMs: number;
    /** First pause before asking about an operation; grows by half each time up to pollMaxMs. */
    readonly pollFirstMs: number;
    readonly pollMaxMs: number;
    /** How long an operation may run before the provider stops waiting. */
    readonly operationTimeoutMs: number;
    /** How long the VM metadata service has to answer, when no credentials are configured. */
    readonly metadataProbeMs: number;
}

export const DEFAULT_TUNING: Tuning = {
    attempts: 5,
    retryBaseMs: 500,
    retryMaxMs: 8_000,
    callTimeoutMs: 60_000,
    pollFirstMs: 250,
    pollMaxMs: 5_000,
    operationTimeoutMs: 30 * 60_000,
    metadataProbeMs: 2_000,
};

/** Where a Yandex Cloud VM serves its service account's token (the SDK's MetadataTokenService asks the same URL). */
const METADATA_TOKEN_URL = "http://169.254.169.254/computeMetadata/v1/instance/service-accounts/default/token";

/**
 * With no credentials configured, the SDK asks the VM metadata service, five times, each without a timeout: off a
 * Yandex Cloud VM (a laptop that forgot YC_TOKEN) that is a long hang before an obscure error. One quick question
 * first makes it a prompt one that says what to set. The token itself is left to the SDK.
 */
function metadataServiceAnswers(timeoutMs: number): Promise<void> {
    const fail = (why: string) => new PlatformError("UNAUTHENTICATED", `No Yandex Cloud credentials are configured and the VM metadata service ${why}, so the provider cannot act as anyone. `
        + "Set mlplatform:iamToken (or YC_TOKEN) to an IAM token (`yc iam create-token`), or mlplatform:serviceAccountKeyFile (or YC_SERVICE_ACCOUNT_KEY_FILE) "
        + "to a service account's authorized key; or run on a Yandex Cloud VM that has a service account.");
    return new Promise((resolve, reject) => {
        const req = http.get(METADATA_TOKEN_URL, { headers: { "Metadata-Flavor": "Google" }, timeout: timeoutMs }, (res) => {
            res.resume();
            if (res.statusCode === 200) resolve();
            else reject(fail(`answered HTTP ${res.statusCode} (no service account on this VM?)`));
        });
        req.on("timeout", () => req.destroy(new Error("timeout")));
        req.on("error", (e) => reject(fail(e.message === "timeout" ? `did not answer within ${timeoutMs / 1000} s (this is no Yandex Cloud VM)` : `cannot be reached (${(e as NodeJS.ErrnoException).code ?? e.message})`)));
    });
}

/** What one call is, for retries and messages. */
export interface Call {
    readonly at: Attempt;
    /** A mutation's idempotency key; a mutation without one is never retried. */
    readonly key?: string;
    readonly mutation: boolean;
}

export type CallOptions = { metadata: NiceMetadata; deadline: number; onHeader(header: NiceMetadata): void };

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function sessionConfig(config: DataSphereConfig): SessionConfig {
    const ssl = config.tlsRootCerts ? { ssl: { rootCerts: Buffer.from(config.tlsRootCerts) } } : {};
    const c = config.credentials;
    switch (c.kind) {
        case "iamToken":
            return { iamToken: c.token, ...ssl };
        case "oauthToken":
            return { oauthToken: c.token, ...ssl };
        case "serviceAccountKey":
            return { serviceAccountJson: { serviceAccountId: c.serviceAccountId, accessKeyId: c.accessKeyId, privateKey: c.privateKey }, ...ssl };
        case "metadata":
            return { ...ssl };
    }
}

export class Transport {
    readonly communities: WrappedServiceClientType<typeof CommunityServiceService>;
    readonly projects: WrappedServiceClientType<typeof ProjectServiceService>;
    readonly operations: WrappedServiceClientType<typeof OperationServiceService>;
    readonly organizations: WrappedServiceClientType<typeof OrganizationServiceService>;
    readonly billing: WrappedServiceClientType<typeof BillingAccountServiceService>;
    private readonly secrets: string[];
    private metadataChecked?: Promise<void>;

    constructor(readonly config: DataSphereConfig, readonly tuning: Tuning) {
        const session = new Session(sessionConfig(config));
        const e = config.endpoints;
        this.communities = session.client(CommunityServiceClient, e.datasphere);
        this.projects = session.client(ProjectServiceClient, e.datasphere);
        this.operations = session.client(OperationServiceClient, e.operation);
        this.organizations = session.client(OrganizationServiceClient, e.organizationManager);
        this.billing = session.client(BillingAccountServiceClient, e.billing);
        const c = config.credentials;
        this.secrets = c.kind === "iamToken" || c.kind === "oauthToken" ? [c.token] : c.kind === "serviceAccountKey" ? [c.privateKey, ...c.privateKey.split("\n").filter((l) => l.length >= 16)] : [];
    }

    /** Text from elsewhere (the platform's details, a transport error) with the credentials taken out. */
    readonly scrub = (text: string): string => {
        let out = text;
        for (const secret of this.secrets) if (secret.length >= 8) out = out.split(secret).join("[secret]");
        return out;
    };

    /**
     * One unary call: `fn` is called with the options of each attempt. Reads, and mutations with a key, are tried
     * again on UNAVAILABLE, RESOURCE_EXHAUSTED, INTERNAL and DEADLINE_EXCEEDED, with the same key every time.
     */
    async call<T>(method: string, call: Call, fn: (options: CallOptions) => Promise<T>): Promise<T> {
        if (this.config.credentials.kind === "metadata") await (this.metadataChecked ??= metadataServiceAnswers(this.tuning.metadataProbeMs));
        const retryable = !call.mutation || call.key !== undefined;
        const traceId = crypto.randomUUID();
        for (let attempt = 1; ; attempt++) {
            let requestId: string | undefined;
            const metadata = new Metadata();
            if (call.key) metadata.set("idempotency-key", call.key);
            // As the Go SDK does: one id per attempt, one trace per call, for Yandex Cloud support.
            metadata.set("x-client-request-id", crypto.randomUUID());
            metadata.set("x-client-trace-id", traceId);
            try {
                // Each request passes the host process's gate (call-limit.ts), which holds no slot between retries or polls.
                return await callGate(this.config.maxConcurrentCalls).run(() => fn({ metadata, deadline: this.tuning.callTimeoutMs, onHeader: (h) => (requestId = h.get("x-request-id") ?? requestId) }));
            } catch (e) {
                const failure = failureOf(e);
                const withId = requestId && !failure.requestId ? { ...failure, requestId } : failure;
                // grpc-js reports a request this client could not encode as INTERNAL: our bug, the same every time.
                const ours = /message serialization failure/i.test(failure.details);
                if (retryable && !ours && RETRYABLE.includes(failure.status) && attempt < this.tuning.attempts) {
                    const ceiling = Math.min(this.tuning.retryMaxMs, this.tuning.retryBaseMs * 2 ** (attempt - 1));
                    await sleep(ceiling / 2 + Math.random() * (ceiling / 2));
                    continue;
                }
                throw cloudError(withId, { ...call.at, attempts: attempt, method }, this.scrub);
            }
        }
    }
}
