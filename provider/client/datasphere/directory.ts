// Reads shared by every kind: an organization's name, a community's and a project's facts, each call retried as a
// read and turned into the provider's error. What never changes on the platform (a community's organization and
// zone, a project's community) is kept for the life of the provider process, so a stack of many projects asks
// once per community; names and everything else are read fresh.
import type { Community } from "@yandex-cloud/nodejs-sdk/dist/generated/yandex/cloud/datasphere/v2/community";
import type { Project } from "@yandex-cloud/nodejs-sdk/dist/generated/yandex/cloud/datasphere/v2/project";
import type { Operation } from "@yandex-cloud/nodejs-sdk/dist/generated/yandex/cloud/operation/operation";
import { isPlatformError } from "../../model/errors";
import type { DataSphereConfig } from "../config";
import { Attempt } from "./errors";
import { finish } from "./operations";
import { CallOptions, Transport } from "./transport";

/** Where a community is, for good. */
export interface Placement {
    readonly organizationId: string;
    readonly zone: string;
}

export class Directory {
    private readonly organizationNames = new Map<string, Promise<string>>();
    private readonly placements = new Map<string, Placement>();
    private readonly projectCommunities = new Map<string, string>();

    constructor(readonly transport: Transport, readonly config: DataSphereConfig) {}

    /** A read, retried; NOT_FOUND and the rest as the provider's errors. */
    read<T>(method: string, at: Attempt, fn: (o: CallOptions) => Promise<T>): Promise<T> {
        return this.transport.call(method, { at, mutation: false }, fn);
    }

    /** A mutation and the operation it starts, followed to its end. */
    async mutate(method: string, at: Attempt, key: string, fn: (o: CallOptions) => Promise<Operation>): Promise<Operation> {
        const op = await this.transport.call(method, { at, key, mutation: true }, fn);
        return finish(this.transport, op, at);
    }

    /**
     * The organization's name, which plan-time rules compare (organizations travel by name in this provider). When
     * the acting account may not read the organization, its id stands in: still the same for the same organization.
     */
    organizationName(organizationId: string): Promise<string> {
        let name = this.organizationNames.get(organizationId);
        if (!name) {
            name = this.read("OrganizationService.Get", { kind: "Organization", name: organizationId, action: "read" },
                (o) => this.transport.organizations.get({ organizationId }, o))
                .then((org) => org.name || organizationId)
                .catch((e) => {
                    if (isPlatformError(e, "PERMISSION_DENIED")) return organizationId;
                    this.organizationNames.delete(organizationId);
                    throw e;
                });
            this.organizationNames.set(organizationId, name);
        }
        return name;
    }

    async community(communityId: string, at: Attempt): Promise<Community> {
        const community = await this.read("CommunityService.Get", at, (o) => this.transport.communities.get({ communityId }, o));
        this.placements.set(community.id, { organizationId: community.organizationId, zone: community.zoneId });
        return community;
    }

    async placement(communityId: string, at: Attempt): Promise<Placement> {
        return this.placements.get(communityId) ?? (await this.community(communityId, at), this.placements.get(communityId)!);
    }

    async project(projectId: string, at: Attempt): Promise<Project> {
        const project = await this.read("ProjectService.Get", at, (o) => this.transport.projects.get({ projectId }, o));
        this.projectCommunities.set(project.id, project.communityId);
        return project;
    }

    async projectCommunity(projectId: string, at: Attempt): Promise<string> {
        return this.projectCommunities.get(projectId) ?? (await this.project(projectId, at)).communityId;
    }

    /** Every page of a list. */
    async all<T>(page: (token: string) => Promise<{ items: T[]; next: string }>): Promise<T[]> {
        const items: T[] = [];
        let token = "";
        const seen = new Set<string>();
        do {
            const result = await page(token);
            items.push(...result.items);
            // A server that hands back a token it gave before would loop forever: stop instead.
            if (seen.has(result.next)) break;
            seen.add(result.next);
            token = result.next;
        } while (token);
        return items;
    }
}
