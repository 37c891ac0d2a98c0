// How every call reaches Yandex Cloud: one channel per endpoint and configuration (TLS always, with an optional
// root certificate for a private installation), one client per service built by the SDK's own client factory from
// its generated definitions (what the SDK's Session.client does), and one wrapper for every unary call that the SDK
// leaves bare: the IAM token of the configured credential (credentials.ts: the SDK's token services cannot be
// pointed anywhere but iam.api.cloud.yandex.net and do not renew a token in time), a deadline, retries of reads and
// keyed mutations with backoff, the idempotency key in the call's metadata (the same on every attempt), the
// platform's request id, and errors turned into the provider's. Long-running operations are followed by our own
// poller (operations.ts): the SDK's waitForOperation can hang forever and rejects with a non-Error.
import { createRequire } from "module";
import * as crypto from "crypto";
import type * as Grpc from "@grpc/grpc-js";
import type { Metadata as NiceMetadata } from "nice-grpc";
import { clientFactory } from "@yandex-cloud/nodejs-sdk/dist/utils/client-factory";
import type { WrappedServiceClientType } from "@yandex-cloud/nodejs-sdk/dist/types";
import { CommunityServiceClient, CommunityServiceService } from "@yandex-cloud/nodejs-sdk/dist/generated/yandex/cloud/datasphere/v2/community_service";
import { ProjectServiceClient, ProjectServiceService } from "@yandex-cloud/nodejs-sdk/dist/generated/yandex/cloud/datasphere/v2/project_service";
import { OperationServiceClient, OperationServiceService } from "@yandex-cloud/nodejs-sdk/dist/generated/yandex/cloud/operation/operation_service";
import { OrganizationServiceClient, OrganizationServiceService } from "@yandex-cloud/nodejs-sdk/dist/generated/yandex/cloud/organizationmanager/v1/organization_service";
import { BillingAccountServiceClient, BillingAccountServiceService } from "@yandex-cloud/nodejs-sdk/dist/generated/yandex/cloud/billing/v1/billing_account_service";
import { CreateIamTokenRequest, IamTokenServiceClient } from "@yandex-cloud/nodejs-sdk/dist/generated/yandex/cloud/iam/v1/iam_token_service";
import { callGate } from "../call-limit";
import type { DataSphereConfig } from "../config";
import { tokenSource, TokenSource } from "./credentials";
import { Attempt, cloudError, failureOf, RETRYABLE } from "./errors";
import { pauseBeforeRetry, Tuning } from "./timing";

export { DEFAULT_TUNING, Tuning } from "./timing";

// nice-grpc and grpc-js come with the SDK; resolved from the SDK's own folder, so they are the copies the SDK's
// client factory uses (a channel credential of another grpc-js copy would not be recognised) even where npm did not
// hoist them next to this package.
const sdkRequire = createRequire(require.resolve("@yandex-cloud/nodejs-sdk/dist/session"));
const { Metadata, createChannel }: { Metadata: typeof NiceMetadata; createChannel: typeof import("nice-grpc").createChannel } = sdkRequire("nice-grpc");
const grpc: typeof Grpc = sdkRequire("@grpc/grpc-js");

/** What one call is, for retries and messages. */
export interface Call {
    readonly at: Attempt;
    /** A mutation's idempotency key; a mutation without one is never retried. */
    readonly key?: string;
    readonly mutation: boolean;
}

export type CallOptions = { metadata: NiceMetadata; deadline: number; onHeader(header: NiceMetadata): void };

export class Transport {
    readonly communities: WrappedServiceClientType<typeof CommunityServiceService>;
    readonly projects: WrappedServiceClientType<typeof ProjectServiceService>;
    readonly operations: WrappedServiceClientType<typeof OperationServiceService>;
    readonly organizations: WrappedServiceClientType<typeof OrganizationServiceService>;
    readonly billing: WrappedServiceClientType<typeof BillingAccountServiceService>;
    /** The IAM token each call carries. */
    readonly tokens: TokenSource;

    constructor(readonly config: DataSphereConfig, readonly tuning: Tuning) {
        // TLS always, as the SDK's Session: the token goes in each call's metadata, so the channel carries none.
        const tls = grpc.credentials.createSsl(config.tlsRootCerts ? Buffer.from(config.tlsRootCerts) : null);
        const client = <S extends Parameters<typeof clientFactory.create>[0]>(service: S, endpoint: string) => clientFactory.create(service, createChannel(endpoint, tls));
        const e = config.endpoints;
        this.communities = client(CommunityServiceClient.service, e.datasphere);
        this.projects = client(ProjectServiceClient.service, e.datasphere);
        this.operations = client(OperationServiceClient.service, e.operation);
        this.organizations = client(OrganizationServiceClient.service, e.organizationManager);
        this.billing = client(BillingAccountServiceClient.service, e.billing);
        // Made only for a credential that is exchanged: a token or the metadata service never reach IAM.
        let iam: ReturnType<typeof client<typeof IamTokenServiceClient.service>> | undefined;
        this.tokens = tokenSource(config, tuning, async (request) => {
            iam ??= client(IamTokenServiceClient.service, e.iam);
            const r = await iam.create(CreateIamTokenRequest.fromPartial(request), { deadline: tuning.callTimeoutMs });
            return { token: r.iamToken, ...(r.expiresAt ? { expiresAt: r.expiresAt } : {}) };
        });
    }

    /** Text from elsewhere (the platform's details, a transport error) with the credentials and tokens taken out. */
    readonly scrub = (text: string): string => {
        let out = text;
        for (const secret of this.tokens.secrets()) if (secret.length >= 8) out = out.split(secret).join("[secret]");
        return out;
    };

    /**
     * One unary call: `fn` is called with the options of each attempt. Reads, and mutations with a key, are tried
     * again on UNAVAILABLE, RESOURCE_EXHAUSTED, INTERNAL and DEADLINE_EXCEEDED, with the same key every time.
     */
    async call<T>(method: string, call: Call, fn: (options: CallOptions) => Promise<T>): Promise<T> {
        const retryable = !call.mutation || call.key !== undefined;
        const traceId = crypto.randomUUID();
        let renewed = false;
        for (let attempt = 1; ; attempt++) {
            let requestId: string | undefined;
            // A credential that cannot give a token fails here, with its own message (credentials.ts).
            const token = await this.tokens.token();
            const metadata = new Metadata();
            metadata.set("authorization", `Bearer ${token}`);
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
                // A refused token that came from an exchange (revoked, or expired before its time): one new token, once.
                // The server refused the call before acting, so even an unkeyed mutation may be sent again.
                if (failure.status === "UNAUTHENTICATED" && !renewed && this.tokens.forget(token)) {
                    renewed = true;
                    continue;
                }
                // grpc-js reports a request this client could not encode as INTERNAL: our bug, the same every time.
                const ours = /message serialization failure/i.test(failure.details);
                if (retryable && !ours && RETRYABLE.includes(failure.status) && attempt < this.tuning.attempts) {
                    await pauseBeforeRetry(this.tuning, attempt);
                    continue;
                }
                throw cloudError(withId, { ...call.at, attempts: attempt, method, credentialAdvice: this.tokens.refusedAdvice }, this.scrub);
            }
        }
    }
}
