// A fake of Yandex Cloud DataSphere's public API v2 (and the operation, organization-manager and billing services
// it needs), served with @grpc/grpc-js from the official SDK's own service definitions, over TLS with the
// self-signed certificate in tls/ (for localhost and 127.0.0.1): the provider's client reaches it through the
// SDK's own client factory and generated clients, on the real wire protocol. State is in memory and follows the platform's documented behaviour
// (reference: ../shared/reference/datasphere-v2-api.md): mutations answer with an operation that is done after
// some polls or some time; NOT_FOUND for what does not exist; AddResource only within one organization and zone;
// access bindings change by ADD/REMOVE deltas; an idempotency key seen before answers with its first operation.
// It also serves IamTokenService.Create (an authorized key's PS256 JWT, checked against the public key a test
// registers, or an OAuth token a test registers) and issues IAM tokens that expire and can be revoked; every other
// call needs the fixed token or an issued one that is still valid. MetadataServiceFake hands out issued tokens as
// a VM's metadata service does, over HTTP.
// Faults on demand: UNAVAILABLE bursts, slow or never-ending operations, failed operations, a response lost after
// the server acted. Every request is recorded with its metadata, for tests to assert what was sent.
import * as crypto from "crypto";
import * as fs from "fs";
import * as http from "http";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import { CommunityServiceService } from "@yandex-cloud/nodejs-sdk/dist/generated/yandex/cloud/datasphere/v2/community_service";
import { CreateCommunityMetadata } from "@yandex-cloud/nodejs-sdk/dist/generated/yandex/cloud/datasphere/v2/community_service";
import { Community } from "@yandex-cloud/nodejs-sdk/dist/generated/yandex/cloud/datasphere/v2/community";
import { CreateProjectMetadata, ProjectServiceService } from "@yandex-cloud/nodejs-sdk/dist/generated/yandex/cloud/datasphere/v2/project_service";
import { Project, Project_Settings } from "@yandex-cloud/nodejs-sdk/dist/generated/yandex/cloud/datasphere/v2/project";
import { OperationServiceService } from "@yandex-cloud/nodejs-sdk/dist/generated/yandex/cloud/operation/operation_service";
import { Operation } from "@yandex-cloud/nodejs-sdk/dist/generated/yandex/cloud/operation/operation";
import { OrganizationServiceService } from "@yandex-cloud/nodejs-sdk/dist/generated/yandex/cloud/organizationmanager/v1/organization_service";
import { Organization } from "@yandex-cloud/nodejs-sdk/dist/generated/yandex/cloud/organizationmanager/v1/organization";
import { BillingAccountServiceService } from "@yandex-cloud/nodejs-sdk/dist/generated/yandex/cloud/billing/v1/billing_account_service";
import { BillingAccount } from "@yandex-cloud/nodejs-sdk/dist/generated/yandex/cloud/billing/v1/billing_account";
import { IamTokenServiceService } from "@yandex-cloud/nodejs-sdk/dist/generated/yandex/cloud/iam/v1/iam_token_service";
import type { AccessBinding } from "@yandex-cloud/nodejs-sdk/dist/generated/yandex/cloud/access/access";

/** The test certificate: next to this file, or (compiled into dist/test/support for the example runner) in the sources. */
export const TLS_DIR = [path.join(__dirname, "tls"), path.resolve(__dirname, "../../../test/support/tls")].find((dir) => fs.existsSync(dir)) ?? path.join(__dirname, "tls");
export const TLS_CERT_FILE = path.join(TLS_DIR, "localhost.crt");
export const FAKE_TOKEN = "t1.fake-iam-token-for-tests";
/** The audience Yandex Cloud IAM requires in an authorized key's JWT (IAM docs, "Getting an IAM token for a service account"). */
export const IAM_AUDIENCE = "https://iam.api.cloud.yandex.net/iam/v1/tokens";

const Code = grpc.status;
const TYPE = "type.googleapis.com/";
const ZONES = ["ru-central1-a", "ru-central1-b", "ru-central1-d"];
const ROLE_PREFIX = { community: "datasphere.communities.", project: "datasphere.community-projects." };
const ROLES = ["viewer", "developer", "editor", "admin"];
/** yandex.cloud.datasphere.v2.ResourceType numbers the fake accepts. */
const RESOURCE_TYPES: Record<number, string> = { 2: "secret", 3: "docker image", 4: "dataset", 5: "s3", 6: "node", 8: "alias" };

/** One request as the fake received it. */
export interface Recorded {
    /** `CommunityService.Create`, `OperationService.Get`, ... */
    readonly method: string;
    readonly request: any;
    /** Request metadata: authorization, idempotency-key, x-client-request-id, ... */
    readonly metadata: Record<string, string>;
}

class FakeStatus extends Error {
    constructor(readonly code: grpc.status, message: string) {
        super(message);
    }
}

interface PendingOperation {
    op: Operation;
    pollsLeft: number;
    readyAt: number;
    /** Applied when the operation finishes successfully. */
    finish?: () => void;
    error?: { code: number; message: string };
}

export interface Faults {
    /** method -> how many calls still answer UNAVAILABLE before the server acts. */
    unavailable: Map<string, number>;
    /** method -> how many calls still act, then lose the response (UNAVAILABLE). */
    loseResponse: Map<string, number>;
    /** method -> the error its next operations finish with. */
    failOperation: Map<string, { code: number; message: string; count: number }>;
    /** Polls of OperationService.Get before an operation is done (0: done at once). */
    polls: number;
    /** Milliseconds before an operation is done, counted from its start. */
    operationMs: number;
    /** Operations never finish. */
    stall: boolean;
    /** Page size the access-binding lists use at most (forces paging). */
    bindingsPage: number;
    /** Create operations carry no response (only metadata), as Terraform's comments say may happen. */
    omitResponse: boolean;
    /** Statuses per call that the server answers with instead of acting. */
    refuse: Map<string, { code: grpc.status; message: string }>;
    /** Milliseconds every call waits before it is served (a remote platform's round trip); calls wait side by side. */
    callMs: number;
}

const newId = (prefix: string) => {
    // Ids like the platform's: 20 lowercase letters and digits (here always with a 0, which the emulator's ids never have).
    const alphabet = "0123456789abcdefghijklmnopqrstuv";
    let out = `${prefix}0`;
    while (out.length < 20) out += alphabet[crypto.randomInt(alphabet.length)];
    return out;
};

export class DataSphereFake {
    readonly requests: Recorded[] = [];
    readonly faults: Faults = {
        unavailable: new Map(), loseResponse: new Map(), failOperation: new Map(), polls: 1, operationMs: 0, stall: false, bindingsPage: 1000, omitResponse: false, refuse: new Map(), callMs: 0,
    };
    /** The most calls the fake was serving at once (with callMs, they overlap). */
    peakInFlight = 0;
    private inFlight = 0;
    readonly organizations = new Map<string, Organization>();
    readonly billingAccounts = new Map<string, BillingAccount>();
    readonly communities = new Map<string, Community>();
    readonly projects = new Map<string, Project>();
    readonly balances = new Map<string, number>();
    /** resource id (community or project) -> bindings */
    readonly bindings = new Map<string, AccessBinding[]>();
    /** Resources made in DataSphere (no API makes them): id -> owning project and type. */
    readonly resources = new Map<string, { projectId: string; type: number }>();
    /** community id -> "<type>/<resource id>" shared into it */
    readonly shared = new Map<string, Set<string>>();
    /** project id -> "<type>/<resource id>" it uses (ProjectService.AddResource) */
    readonly used = new Map<string, Set<string>>();
    /** Authorized keys IAM knows: key id -> its service account and public key. */
    readonly iamKeys = new Map<string, { serviceAccountId: string; publicKey: crypto.KeyObject }>();
    /** OAuth tokens IAM accepts -> the account they stand for. */
    readonly oauthTokens = new Map<string, string>();
    /** How long an issued IAM token is valid (12 hours on Yandex Cloud). */
    tokenLifetimeMs = 12 * 3600_000;
    /** IAM tokens issued: token -> the account and when it expires. */
    readonly issued = new Map<string, { subject: string; expiresAt: number }>();
    readonly revoked = new Set<string>();
    private readonly operations = new Map<string, PendingOperation>();
    private readonly keys = new Map<string, string>();
    private requestCounter = 0;

    private constructor(private readonly server: grpc.Server, readonly port: number, readonly token: string) {}

    /** Where the provider's client connects: localhost, which the test certificate names. */
    get endpoint(): string {
        return `localhost:${this.port}`;
    }

    static async start(options: { token?: string; port?: number } = {}): Promise<DataSphereFake> {
        const server = new grpc.Server();
        const credentials = grpc.ServerCredentials.createSsl(null, [{
            private_key: fs.readFileSync(path.join(TLS_DIR, "localhost.key")),
            cert_chain: fs.readFileSync(TLS_CERT_FILE),
        }], false);
        const port = await new Promise<number>((resolve, reject) => server.bindAsync(`127.0.0.1:${options.port ?? 0}`, credentials, (e, p) => (e ? reject(e) : resolve(p))));
        const fake = new DataSphereFake(server, port, options.token ?? FAKE_TOKEN);
        fake.serve();
        return fake;
    }

    stop(): Promise<void> {
        return new Promise((resolve) => this.server.tryShutdown(() => resolve()));
    }

    // ---- Seeding what no API creates ----

    addOrganization(name: string, title = name): string {
        const id = newId("bpf");
        this.organizations.set(id, Organization.fromPartial({ id, name, title, createdAt: new Date() }));
        return id;
    }

    addBillingAccount(name: string, active = true): string {
        const id = newId("dn2");
        this.billingAccounts.set(id, BillingAccount.fromPartial({ id, name, active, currency: "RUB", countryCode: "RU", balance: "0", createdAt: new Date() }));
        return id;
    }

    /** A community made in DataSphere's UI (outside any program). */
    addCommunity(organizationId: string, name: string, zoneId: string): string {
        const c = Community.fromPartial({ id: newId("bt1"), createdAt: new Date(), name, organizationId, zoneId, createdById: "aje-console-user" });
        this.communities.set(c.id, c);
        this.bindings.set(c.id, []);
        return c.id;
    }

    /** A project made in DataSphere's UI. */
    addProject(communityId: string, name: string): string {
        this.community(communityId);
        const p = Project.fromPartial({ id: newId("bt2"), createdAt: new Date(), name, communityId, createdById: "aje-console-user" });
        this.projects.set(p.id, p);
        this.bindings.set(p.id, []);
        return p.id;
    }

    /** A resource made in DataSphere (a dataset, say), owned by a project. */
    addResource(projectId: string, type: number): string {
        if (!this.projects.has(projectId)) throw new Error(`no project ${projectId}`);
        const id = newId("dt1");
        this.resources.set(id, { projectId, type });
        return id;
    }

    /** An authorized key IAM will know: the test generated the pair and keeps the private half. */
    registerKey(keyId: string, serviceAccountId: string, publicKey: crypto.KeyObject | string): void {
        this.iamKeys.set(keyId, { serviceAccountId, publicKey: typeof publicKey === "string" ? crypto.createPublicKey(publicKey) : publicKey });
    }

    /** An IAM token for `subject`, as IamTokenService.Create or the metadata service issue one. */
    issueToken(subject: string, lifetimeMs = this.tokenLifetimeMs): { token: string; expiresAt: Date } {
        const token = `t1.issued-${crypto.randomBytes(12).toString("hex")}`;
        const expiresAt = Date.now() + lifetimeMs;
        this.issued.set(token, { subject, expiresAt });
        return { token, expiresAt: new Date(expiresAt) };
    }

    /** Whether a call with this authorization header is let in: the fixed token, or an issued one neither expired nor revoked. */
    private authenticated(authorization: string | undefined): boolean {
        const token = /^Bearer (.+)$/.exec(authorization ?? "")?.[1];
        if (!token) return false;
        if (token === this.token) return true;
        const issued = this.issued.get(token);
        return !!issued && !this.revoked.has(token) && issued.expiresAt > Date.now();
    }

    /** Calls of a method so far. */
    calls(method: string): Recorded[] {
        return this.requests.filter((r) => r.method === method);
    }

    /** What a test or the example reports: calls by method. */
    callCounts(): Record<string, number> {
        const out: Record<string, number> = {};
        for (const r of this.requests) out[r.method] = (out[r.method] ?? 0) + 1;
        return out;
    }

    // ---- Serving ----

    private serve(): void {
        const community = (name: string, fn: (req: any) => any, mutation = false) => this.unary(`CommunityService.${name}`, fn, mutation);
        const project = (name: string, fn: (req: any) => any, mutation = false) => this.unary(`ProjectService.${name}`, fn, mutation);
        this.server.addService(CommunityServiceService, {
            create: community("Create", (r) => this.createCommunity(r), true),
            get: community("Get", (r) => this.community(r.communityId)),
            update: community("Update", (r) => this.updateCommunity(r), true),
            delete: community("Delete", (r) => this.deleteCommunity(r), true),
            list: community("List", (r) => this.listCommunities(r)),
            listAccessBindings: community("ListAccessBindings", (r) => this.listBindings(r, "community")),
            updateAccessBindings: community("UpdateAccessBindings", (r) => this.updateBindings(r, "community"), true),
            setAccessBindings: community("SetAccessBindings", () => {
                throw new FakeStatus(Code.FAILED_PRECONDITION, "the fake refuses SetAccessBindings: the provider must never replace everyone's bindings");
            }, true),
            addResource: community("AddResource", (r) => this.share(r), true),
            removeResource: community("RemoveResource", (r) => this.unshare(r), true),
        });
        this.server.addService(ProjectServiceService, {
            create: project("Create", (r) => this.createProject(r), true),
            get: project("Get", (r) => this.project(r.projectId)),
            update: project("Update", (r) => this.updateProject(r), true),
            delete: project("Delete", (r) => this.deleteProject(r), true),
            list: project("List", (r) => this.listProjects(r)),
            getUnitBalance: project("GetUnitBalance", (r) => ({ unitBalance: (this.project(r.projectId), this.balances.get(r.projectId)) })),
            setUnitBalance: project("SetUnitBalance", (r) => this.setBalance(r), true),
            listAccessBindings: project("ListAccessBindings", (r) => this.listBindings(r, "project")),
            updateAccessBindings: project("UpdateAccessBindings", (r) => this.updateBindings(r, "project"), true),
            addResource: project("AddResource", (r) => this.use(r), true),
            removeResource: project("RemoveResource", (r) => this.unuse(r), true),
            setAccessBindings: project("SetAccessBindings", () => {
                throw new FakeStatus(Code.FAILED_PRECONDITION, "the fake refuses SetAccessBindings: the provider must never replace everyone's bindings");
            }, true),
        });
        // IAM takes no token: the request itself is the credential.
        this.server.addService(IamTokenServiceService, { create: this.unary("IamTokenService.Create", (r) => this.exchange(r), false, { open: true }) });
        this.server.addService(OperationServiceService, { get: this.unary("OperationService.Get", (r) => this.poll(r.operationId)) });
        this.server.addService(OrganizationServiceService, {
            get: this.unary("OrganizationService.Get", (r) => this.found(this.organizations.get(r.organizationId), `organization ${r.organizationId}`)),
        });
        this.server.addService(BillingAccountServiceService, {
            get: this.unary("BillingAccountService.Get", (r) => this.found(this.billingAccounts.get(r.id), `billing account ${r.id}`)),
        });
    }

    /** One method, counted while it is served, after callMs when set. */
    private unary(method: string, act: (request: any) => any, mutation = false, options: { open?: boolean } = {}): grpc.handleUnaryCall<any, any> {
        const serve = this.serveUnary(method, act, mutation, options.open ?? false);
        return (call, callback) => {
            this.peakInFlight = Math.max(this.peakInFlight, ++this.inFlight);
            const reply = ((error: any, value: any) => {
                this.inFlight--;
                callback(error, value);
            }) as grpc.sendUnaryData<any>;
            if (this.faults.callMs > 0) setTimeout(() => serve(call, reply), this.faults.callMs);
            else serve(call, reply);
        };
    }

    /**
     * One method: record, authenticate, inject faults, answer a known idempotency key with its first operation,
     * act, reply (with an x-request-id header, as Yandex Cloud does).
     */
    private serveUnary(method: string, act: (request: any) => any, mutation: boolean, open: boolean): grpc.handleUnaryCall<any, any> {
        return (call, callback) => {
            const metadata: Record<string, string> = {};
            for (const [key, value] of Object.entries(call.metadata.getMap())) metadata[key] = String(value);
            this.requests.push({ method, request: call.request, metadata });
            const header = new grpc.Metadata();
            header.set("x-request-id", `fake-req-${++this.requestCounter}`);
            call.sendMetadata(header);
            const fail = (code: grpc.status, details: string) => callback({ code, details, name: "", message: details });
            try {
                if (!open && !this.authenticated(metadata.authorization)) throw new FakeStatus(Code.UNAUTHENTICATED, "the IAM token is invalid or expired");
                const burst = this.faults.unavailable.get(method) ?? 0;
                if (burst > 0) {
                    this.faults.unavailable.set(method, burst - 1);
                    throw new FakeStatus(Code.UNAVAILABLE, "service is temporarily unavailable");
                }
                const refusal = this.faults.refuse.get(method);
                if (refusal) throw new FakeStatus(refusal.code, refusal.message);
                const key = metadata["idempotency-key"];
                let answer: any;
                if (mutation && key && this.keys.has(key)) {
                    answer = { ...this.operations.get(this.keys.get(key)!)!.op };
                } else {
                    answer = act(call.request);
                    if (mutation && key) this.keys.set(key, answer.id);
                }
                const lost = this.faults.loseResponse.get(method) ?? 0;
                if (lost > 0) {
                    this.faults.loseResponse.set(method, lost - 1);
                    throw new FakeStatus(Code.UNAVAILABLE, "upstream connect error or disconnect/reset before headers");
                }
                callback(null, answer);
            } catch (e) {
                if (e instanceof FakeStatus) fail(e.code, e.message);
                else fail(Code.INTERNAL, `fake: ${(e as Error).message}`);
            }
        };
    }

    /** IamTokenService.Create: an authorized key's JWT or an OAuth token, for an IAM token. */
    private exchange(r: { jwt?: string; yandexPassportOauthToken?: string }): { iamToken: string; expiresAt: Date } {
        let subject: string | undefined;
        if (r.yandexPassportOauthToken) {
            subject = this.oauthTokens.get(r.yandexPassportOauthToken);
            if (!subject) throw new FakeStatus(Code.UNAUTHENTICATED, "The OAuth token is invalid or expired");
        } else if (r.jwt) {
            subject = this.verifiedJwt(r.jwt);
        } else {
            throw new FakeStatus(Code.INVALID_ARGUMENT, "one of jwt, yandex_passport_oauth_token is required");
        }
        const { token, expiresAt } = this.issueToken(subject);
        return { iamToken: token, expiresAt };
    }

    /**
     * The account an authorized key's JWT stands for, as IAM checks it: PS256 (RSASSA-PSS, SHA-256, 32-byte salt)
     * signed by the registered key named in `kid`, `iss` that key's account, `aud` IAM's, at most an hour long and
     * not expired.
     */
    private verifiedJwt(jwt: string): string {
        const refuse = (why: string) => new FakeStatus(Code.UNAUTHENTICATED, `JWT ${why}`);
        const parts = jwt.split(".");
        if (parts.length !== 3) throw refuse("is malformed");
        const decode = (part: string) => {
            try {
                return JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
            } catch {
                throw refuse("is malformed");
            }
        };
        const header = decode(parts[0]);
        const claims = decode(parts[1]);
        if (header.alg !== "PS256") throw refuse(`algorithm ${header.alg} is not accepted: PS256 only`);
        const key = this.iamKeys.get(header.kid);
        if (!key) throw refuse(`key ${header.kid} not found`);
        const signed = crypto.verify("sha256", Buffer.from(`${parts[0]}.${parts[1]}`), { key: key.publicKey, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, Buffer.from(parts[2], "base64url"));
        if (!signed) throw refuse(`signature is invalid for key ${header.kid}`);
        if (claims.iss !== key.serviceAccountId) throw refuse(`issuer ${claims.iss} is not the service account of key ${header.kid}`);
        if (claims.aud !== IAM_AUDIENCE) throw refuse(`audience ${claims.aud} is not ${IAM_AUDIENCE}`);
        const now = Date.now() / 1000;
        if (!(claims.exp > now) || !(claims.iat <= now + 60) || claims.exp - claims.iat > 3600) throw refuse("is expired or lives longer than an hour");
        return key.serviceAccountId;
    }

    private found<T>(value: T | undefined, what: string): T {
        if (!value) throw new FakeStatus(Code.NOT_FOUND, `${what} not found`);
        return value;
    }

    private community(id: string): Community {
        return this.found(this.communities.get(id), `Community ${id}`);
    }

    private project(id: string): Project {
        return this.found(this.projects.get(id), `Project ${id}`);
    }

    /** An operation for a mutation; `apply` runs at once (the object exists while the operation runs) unless it fails. */
    private operation(method: string, description: string, apply: () => { metadata?: { typeUrl: string; value: Buffer }; response?: { typeUrl: string; value: Buffer } }): Operation {
        const failure = this.faults.failOperation.get(method);
        const id = newId("op0");
        const pending: PendingOperation = {
            op: Operation.fromPartial({ id, description, createdAt: new Date(), createdBy: "fake", done: false }),
            pollsLeft: this.faults.polls,
            readyAt: Date.now() + this.faults.operationMs,
        };
        if (failure && failure.count > 0) {
            failure.count--;
            pending.error = { code: failure.code, message: failure.message };
        } else {
            const packed = apply();
            pending.op.metadata = packed.metadata;
            pending.finish = () => {
                if (packed.response && !this.faults.omitResponse) pending.op.response = packed.response;
            };
        }
        this.operations.set(id, pending);
        if (pending.pollsLeft === 0 && pending.readyAt <= Date.now() && !this.faults.stall) this.complete(pending);
        return { ...pending.op };
    }

    private complete(pending: PendingOperation): void {
        pending.op.done = true;
        pending.op.modifiedAt = new Date();
        if (pending.error) pending.op.error = { code: pending.error.code, message: pending.error.message, details: [] };
        else pending.finish?.();
    }

    private poll(operationId: string): Operation {
        const pending = this.found(this.operations.get(operationId), `Operation ${operationId}`);
        if (!pending.op.done && !this.faults.stall) {
            pending.pollsLeft = Math.max(0, pending.pollsLeft - 1);
            if (pending.pollsLeft === 0 && Date.now() >= pending.readyAt) this.complete(pending);
        }
        return { ...pending.op };
    }

    // ---- Communities ----

    private createCommunity(r: any): Operation {
        this.found(this.organizations.get(r.organizationId), `organization ${r.organizationId}`);
        if (!ZONES.includes(r.zoneId)) throw new FakeStatus(Code.INVALID_ARGUMENT, `zone_id: unknown zone ${JSON.stringify(r.zoneId)}`);
        if (!r.name) throw new FakeStatus(Code.INVALID_ARGUMENT, "name: required");
        if (r.billingAccountId) {
            const account = this.found(this.billingAccounts.get(r.billingAccountId), `billing account ${r.billingAccountId}`);
            if (!account.active) throw new FakeStatus(Code.FAILED_PRECONDITION, `billing account ${r.billingAccountId} is not active`);
        }
        return this.operation("CommunityService.Create", "Create community", () => {
            const c = Community.fromPartial({
                id: newId("bt1"), createdAt: new Date(), name: r.name, description: r.description, labels: { ...r.labels }, createdById: "aje-fake-user",
                organizationId: r.organizationId, zoneId: r.zoneId,
            });
            this.communities.set(c.id, c);
            this.bindings.set(c.id, []);
            return { metadata: pack("yandex.cloud.datasphere.v2.CreateCommunityMetadata", CreateCommunityMetadata.encode({ communityId: c.id }).finish()), response: pack("yandex.cloud.datasphere.v2.Community", Community.encode(c).finish()) };
        });
    }

    private updateCommunity(r: any): Operation {
        const c = this.community(r.communityId);
        const paths: string[] = r.updateMask?.paths ?? [];
        for (const p of paths) if (!["name", "description", "labels"].includes(p)) throw new FakeStatus(Code.INVALID_ARGUMENT, `update_mask: unknown field ${JSON.stringify(p)} of Community`);
        return this.operation("CommunityService.Update", "Update community", () => {
            if (paths.includes("name")) c.name = r.name;
            if (paths.includes("description")) c.description = r.description;
            if (paths.includes("labels")) c.labels = { ...r.labels };
            return { response: pack("yandex.cloud.datasphere.v2.Community", Community.encode(c).finish()) };
        });
    }

    private deleteCommunity(r: any): Operation {
        this.community(r.communityId);
        const projects = [...this.projects.values()].filter((p) => p.communityId === r.communityId);
        if (projects.length) throw new FakeStatus(Code.FAILED_PRECONDITION, `community ${r.communityId} has ${projects.length} project(s)`);
        return this.operation("CommunityService.Delete", "Delete community", () => {
            this.communities.delete(r.communityId);
            this.bindings.delete(r.communityId);
            this.shared.delete(r.communityId);
            return {};
        });
    }

    private listCommunities(r: any): { communities: Community[]; nextPageToken: string } {
        const all = [...this.communities.values()].filter((c) => c.organizationId === r.organizationId
            && (!r.nameOrDescriptionPattern || c.name.includes(r.nameOrDescriptionPattern) || c.description.includes(r.nameOrDescriptionPattern)));
        return page(all, r.pageSize || 100, r.pageToken, (items, nextPageToken) => ({ communities: items, nextPageToken }));
    }

    // ---- Projects ----

    private createProject(r: any): Operation {
        this.community(r.communityId);
        if (!/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/.test(r.name)) throw new FakeStatus(Code.INVALID_ARGUMENT, `name: must match [a-z]([-a-z0-9]{0,61}[a-z0-9])?, got ${JSON.stringify(r.name)}`);
        return this.operation("ProjectService.Create", "Create project", () => {
            const p = Project.fromPartial({
                id: newId("bt2"), createdAt: new Date(), name: r.name, description: r.description, labels: { ...r.labels }, createdById: "aje-fake-user",
                settings: r.settings, limits: r.limits, communityId: r.communityId,
            });
            this.projects.set(p.id, p);
            this.bindings.set(p.id, []);
            return { metadata: pack("yandex.cloud.datasphere.v2.CreateProjectMetadata", CreateProjectMetadata.encode({ projectId: p.id }).finish()), response: pack("yandex.cloud.datasphere.v2.Project", Project.encode(p).finish()) };
        });
    }

    private updateProject(r: any): Operation {
        const p = this.project(r.projectId);
        const paths: string[] = r.updateMask?.paths ?? [];
        const settings: Record<string, string> = {
            "settings.service_account_id": "serviceAccountId", "settings.subnet_id": "subnetId", "settings.data_proc_cluster_id": "dataProcClusterId",
            "settings.security_group_ids": "securityGroupIds", "settings.default_folder_id": "defaultFolderId", "settings.stale_exec_timeout_mode": "staleExecTimeoutMode",
            "settings.early_access": "earlyAccess", "settings.ide": "ide", "settings.vm_inactivity_timeout": "vmInactivityTimeout", "settings.default_dedicated_spec": "defaultDedicatedSpec",
        };
        const limits: Record<string, string> = { "limits.max_units_per_hour": "maxUnitsPerHour", "limits.max_units_per_execution": "maxUnitsPerExecution" };
        for (const path of paths) {
            if (!["name", "description", "labels"].includes(path) && !(path in settings) && !(path in limits)) {
                throw new FakeStatus(Code.INVALID_ARGUMENT, `update_mask: unknown field ${JSON.stringify(path)} of Project`);
            }
        }
        return this.operation("ProjectService.Update", "Update project", () => {
            if (paths.includes("name")) p.name = r.name;
            if (paths.includes("description")) p.description = r.description;
            if (paths.includes("labels")) p.labels = { ...r.labels };
            p.settings ??= Project_Settings.fromPartial({});
            const given = Project_Settings.fromPartial(r.settings ?? {});
            for (const [path, field] of Object.entries(settings)) if (paths.includes(path)) (p.settings as any)[field] = (given as any)[field];
            p.limits ??= { maxUnitsPerHour: undefined, maxUnitsPerExecution: undefined };
            for (const [path, field] of Object.entries(limits)) if (paths.includes(path)) (p.limits as any)[field] = (r.limits as any)?.[field];
            return { response: pack("yandex.cloud.datasphere.v2.Project", Project.encode(p).finish()) };
        });
    }

    private deleteProject(r: any): Operation {
        this.project(r.projectId);
        return this.operation("ProjectService.Delete", "Delete project", () => {
            this.projects.delete(r.projectId);
            this.bindings.delete(r.projectId);
            this.balances.delete(r.projectId);
            return {};
        });
    }

    private listProjects(r: any): { projects: Project[]; nextPageToken: string } {
        this.community(r.communityId);
        const all = [...this.projects.values()].filter((p) => p.communityId === r.communityId && (!r.projectNamePattern || p.name.includes(r.projectNamePattern)));
        return page(all, r.pageSize || 100, r.pageToken, (items, nextPageToken) => ({ projects: items, nextPageToken }));
    }

    private setBalance(r: any): Operation {
        this.project(r.projectId);
        if (typeof r.unitBalance !== "number" || r.unitBalance < 0) throw new FakeStatus(Code.INVALID_ARGUMENT, "unit_balance: must be a non-negative number");
        return this.operation("ProjectService.SetUnitBalance", "Set unit balance", () => {
            this.balances.set(r.projectId, r.unitBalance);
            return {};
        });
    }

    // ---- Access bindings ----

    private resourceOf(resourceId: string, on: "community" | "project"): void {
        if (on === "community") this.community(resourceId);
        else this.project(resourceId);
    }

    private listBindings(r: any, on: "community" | "project"): { accessBindings: AccessBinding[]; nextPageToken: string } {
        this.resourceOf(r.resourceId, on);
        const size = Math.min(r.pageSize || 100, this.faults.bindingsPage);
        return page(this.bindings.get(r.resourceId) ?? [], size, r.pageToken, (items, nextPageToken) => ({ accessBindings: items, nextPageToken }));
    }

    private updateBindings(r: any, on: "community" | "project"): Operation {
        this.resourceOf(r.resourceId, on);
        const deltas: { action: number; accessBinding?: AccessBinding }[] = r.accessBindingDeltas ?? [];
        if (deltas.length === 0) throw new FakeStatus(Code.INVALID_ARGUMENT, "access_binding_deltas: at least one delta is required");
        for (const d of deltas) {
            const roleId = d.accessBinding?.roleId ?? "";
            // Both kinds of role may be bound on a community (the community-projects ones then cover its projects).
            const allowed = (on === "community" ? [ROLE_PREFIX.community, ROLE_PREFIX.project] : [ROLE_PREFIX.project]).flatMap((p) => ROLES.map((x) => p + x));
            if (!allowed.includes(roleId)) throw new FakeStatus(Code.INVALID_ARGUMENT, `role ${JSON.stringify(roleId)} cannot be bound on a ${on}`);
            if (d.action !== 1 && d.action !== 2) throw new FakeStatus(Code.INVALID_ARGUMENT, `action: must be ADD or REMOVE, got ${d.action}`);
            if (!d.accessBinding?.subject?.id || !d.accessBinding.subject.type) throw new FakeStatus(Code.INVALID_ARGUMENT, "subject: id and type are required");
        }
        return this.operation(`${on === "community" ? "CommunityService" : "ProjectService"}.UpdateAccessBindings`, "Update access bindings", () => {
            const list = this.bindings.get(r.resourceId)!;
            for (const d of deltas) {
                const b = d.accessBinding!;
                const at = list.findIndex((x) => x.roleId === b.roleId && x.subject?.id === b.subject?.id && x.subject?.type === b.subject?.type);
                if (d.action === 1 && at < 0) list.push({ roleId: b.roleId, subject: { id: b.subject!.id, type: b.subject!.type } });
                if (d.action === 2 && at >= 0) list.splice(at, 1);
            }
            return {};
        });
    }

    /** Someone grants a role outside Pulumi. */
    grant(resourceId: string, roleId: string, subject: { type: string; id: string }): void {
        this.bindings.get(resourceId)!.push({ roleId, subject });
    }

    // ---- Shares ----

    private share(r: any): Operation {
        const target = this.community(r.communityId);
        if (!RESOURCE_TYPES[r.resourceType]) throw new FakeStatus(Code.INVALID_ARGUMENT, `resource_type: unknown ${r.resourceType}`);
        const resource = this.found(this.resources.get(r.resourceId), `resource ${r.resourceId}`);
        if (resource.type !== r.resourceType) throw new FakeStatus(Code.NOT_FOUND, `${RESOURCE_TYPES[r.resourceType]} ${r.resourceId} not found`);
        const source = this.community(this.project(resource.projectId).communityId);
        if (source.organizationId !== target.organizationId) throw new FakeStatus(Code.FAILED_PRECONDITION, "resources cannot be shared between organizations");
        if (source.zoneId !== target.zoneId) throw new FakeStatus(Code.FAILED_PRECONDITION, `cannot share a resource of zone ${source.zoneId} into a community of zone ${target.zoneId}`);
        const key = `${r.resourceType}/${r.resourceId}`;
        if (this.shared.get(r.communityId)?.has(key)) throw new FakeStatus(Code.ALREADY_EXISTS, `resource ${r.resourceId} is already shared into community ${r.communityId}`);
        return this.operation("CommunityService.AddResource", "Add resource to community", () => {
            if (!this.shared.has(r.communityId)) this.shared.set(r.communityId, new Set());
            this.shared.get(r.communityId)!.add(key);
            return {};
        });
    }

    private unshare(r: any): Operation {
        this.community(r.communityId);
        const key = `${r.resourceType}/${r.resourceId}`;
        if (!this.shared.get(r.communityId)?.has(key)) throw new FakeStatus(Code.NOT_FOUND, `resource ${r.resourceId} is not shared into community ${r.communityId}`);
        const users = [...this.projects.values()].filter((p) => p.communityId === r.communityId && this.used.get(p.id)?.has(key));
        if (users.length) throw new FakeStatus(Code.FAILED_PRECONDITION, `resource ${r.resourceId} is used by project ${users[0].id}`);
        return this.operation("CommunityService.RemoveResource", "Remove resource from community", () => {
            this.shared.get(r.communityId)!.delete(key);
            return {};
        });
    }
    // ---- A project's use of a shared resource ----

    private use(r: any): Operation {
        const project = this.project(r.projectId);
        const key = `${r.resourceType}/${r.resourceId}`;
        if (!this.shared.get(project.communityId)?.has(key)) throw new FakeStatus(Code.FAILED_PRECONDITION, `resource ${r.resourceId} is not shared into the community of project ${r.projectId}`);
        if (this.used.get(r.projectId)?.has(key)) throw new FakeStatus(Code.ALREADY_EXISTS, `project ${r.projectId} already uses resource ${r.resourceId}`);
        return this.operation("ProjectService.AddResource", "Add resource to project", () => {
            if (!this.used.has(r.projectId)) this.used.set(r.projectId, new Set());
            this.used.get(r.projectId)!.add(key);
            return {};
        });
    }

    private unuse(r: any): Operation {
        this.project(r.projectId);
        const key = `${r.resourceType}/${r.resourceId}`;
        if (!this.used.get(r.projectId)?.has(key)) throw new FakeStatus(Code.NOT_FOUND, `project ${r.projectId} does not use resource ${r.resourceId}`);
        return this.operation("ProjectService.RemoveResource", "Remove resource from project", () => {
            this.used.get(r.projectId)!.delete(key);
            return {};
        });
    }
}

function pack(typeName: string, value: Uint8Array): { typeUrl: string; value: Buffer } {
    return { typeUrl: TYPE + typeName, value: Buffer.from(value) };
}

/** A page of a list; the token is the offset. */
function page<T, R>(all: T[], size: number, token: string, make: (items: T[], next: string) => R): R {
    const from = token ? Number(token) : 0;
    if (!Number.isInteger(from) || from < 0) throw new FakeStatus(Code.INVALID_ARGUMENT, `page_token: invalid ${JSON.stringify(token)}`);
    const items = all.slice(from, from + size);
    return make(items, from + size < all.length ? String(from + size) : "");
}

/**
 * A VM's metadata service, as Yandex Cloud (and Compute Engine) serve it: GET the token path with `Metadata-Flavor:
 * Google` (403 without it) answers `{access_token, expires_in, token_type}` with a token the DataSphere fake
 * accepts. `status` makes it answer with that HTTP status instead.
 */
export class MetadataServiceFake {
    static readonly PATH = "/computeMetadata/v1/instance/service-accounts/default/token";
    readonly requests: http.IncomingHttpHeaders[] = [];
    status = 200;
    /** The life of the tokens it hands out, in seconds. */
    expiresInS = 3600;
    /** Tokens handed out, in order. */
    readonly tokens: string[] = [];

    private constructor(private readonly server: http.Server, readonly url: string) {}

    static async start(fake: DataSphereFake, serviceAccountId = "ajevmserviceaccount0"): Promise<MetadataServiceFake> {
        let self: MetadataServiceFake | undefined;
        const server = http.createServer((req, res) => {
            self!.requests.push(req.headers);
            const send = (status: number, body: string) => res.writeHead(status, { "content-type": "application/json" }).end(body);
            if (req.url !== MetadataServiceFake.PATH) return send(404, "not found");
            if (req.headers["metadata-flavor"] !== "Google") return send(403, "Missing Metadata-Flavor:Google header");
            if (self!.status !== 200) return send(self!.status, "unavailable");
            const { token } = fake.issueToken(serviceAccountId, self!.expiresInS * 1000);
            self!.tokens.push(token);
            send(200, JSON.stringify({ access_token: token, expires_in: self!.expiresInS, token_type: "Bearer" }));
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        const port = (server.address() as { port: number }).port;
        self = new MetadataServiceFake(server, `http://127.0.0.1:${port}${MetadataServiceFake.PATH}`);
        return self;
    }

    stop(): Promise<void> {
        return new Promise((resolve) => this.server.close(() => resolve()));
    }
}
