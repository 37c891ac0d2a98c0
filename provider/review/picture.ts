// The picture of an organization: organizations hold zones, zones hold communities, communities hold projects,
// projects hold resources; shares are edges from a resource into a community, and a project's use of a shared
// resource an edge back. Each box and edge carries what the change does to it. The Mermaid and SVG renderers draw
// this one model, so the two pictures cannot disagree.
import { KindName, PROJECT_RESOURCE_KINDS } from "../model/kinds";
import type { Change } from "./changes";
import { kindOfUrn, ObjectSet, PlatformObject, Pointer, urnParts } from "./objects";

export type Mark = "added" | "changed" | "replaced" | "removed" | "unchanged";
export type Level = "organization" | "zone" | "community" | "project" | "resource";

export interface PictureBox {
    readonly key: string;
    readonly level: Level;
    readonly kind?: KindName;
    /** `Community research`, `zone ru-central1-a`. */
    readonly label: string;
    /** Why a box is drawn without its object: `another stack`, `not in this preview`. */
    readonly note?: string;
    readonly mark: Mark;
    readonly children: PictureBox[];
}

export interface PictureEdge {
    readonly from: string;
    readonly to: string;
    readonly relation: "shared into" | "used by";
    readonly mark: Mark;
    /** `Dataset imagenet-subset shared into community production`. */
    readonly title: string;
}

export interface Picture {
    readonly title: string;
    readonly organizations: readonly PictureBox[];
    readonly edges: readonly PictureEdge[];
}

const MARK_OF: Readonly<Record<Change, Mark>> = {
    create: "added", update: "changed", replace: "replaced", delete: "removed", forget: "removed", same: "unchanged", read: "unchanged",
};

/** Every picture-worthy object of one side, with the set that resolves its pointers. */
interface Placed {
    readonly object: PlatformObject;
    readonly side: ObjectSet;
    readonly mark: Mark;
}

const str = (value: unknown): string | undefined => (typeof value === "string" && value.length > 0 ? value : undefined);
const RESOURCE_KINDS: readonly KindName[] = PROJECT_RESOURCE_KINDS;

/**
 * The picture after a change: what exists afterwards, marked added, changed, replaced or unchanged, and what the
 * change removes, marked removed. `changeOf` says what happens to each URN (a stack as it stands: nothing).
 */
export function buildPicture(title: string, before: ObjectSet, after: ObjectSet, changeOf: (urn: string) => Change | undefined): Picture {
    const placed: Placed[] = [
        ...after.objects.map((object) => ({ object, side: after, mark: MARK_OF[changeOf(object.urn) ?? "same"] })),
        ...before.objects.filter((o) => !after.has(o.urn)).map((object) => ({ object, side: before, mark: "removed" as Mark })),
    ];
    const builder = new PictureBuilder();
    const byKind = (kinds: readonly KindName[]) => placed.filter((p) => kinds.includes(p.object.kind)).sort((a, b) => a.object.name.localeCompare(b.object.name));
    // Top down, so that a child finds its parent's box, or makes a stand-in for a parent the JSON does not hold.
    for (const p of byKind(["Organization"])) builder.organization(p.object.urn, p.object.name, p.mark, p.object.external ? "another stack" : undefined, str(p.object.fields.name));
    for (const p of byKind(["Community"])) builder.community(p);
    for (const p of byKind(["Project"])) builder.project(p);
    for (const p of byKind(RESOURCE_KINDS)) builder.resource(p);
    for (const p of byKind(["Share"])) builder.share(p);
    for (const p of byKind(["SharedResourceUse"])) builder.use(p);
    return { title, organizations: builder.roots, edges: builder.edges };
}

class PictureBuilder {
    readonly roots: PictureBox[] = [];
    readonly edges: PictureEdge[] = [];
    private readonly boxes = new Map<string, PictureBox>();
    private readonly zones = new Map<string, PictureBox>();

    private add(parent: PictureBox | undefined, box: PictureBox): PictureBox {
        this.boxes.set(box.key, box);
        (parent ? parent.children : this.roots).push(box);
        return box;
    }

    /** Physical organization names (what communities and projects carry as a fact) to their boxes. */
    private readonly organizationsByName = new Map<string, PictureBox>();

    organization(key: string, name: string, mark: Mark, note?: string, physicalName?: string): PictureBox {
        const box = this.boxes.get(key) ?? this.add(undefined, { key, level: "organization", kind: "Organization", label: `Organization ${name}`, note, mark, children: [] });
        if (physicalName) this.organizationsByName.set(physicalName, box);
        return box;
    }

    /** An organization by its physical name, as communities and projects carry it: its box, or a stand-in. */
    private organizationNamed(name: string | undefined): PictureBox {
        return (name ? this.organizationsByName.get(name) : undefined)
            ?? this.organization(`org-name:${name ?? "?"}`, name ?? "(unknown)", "unchanged", "not in this preview", name);
    }

    zone(organization: PictureBox, zone: string | undefined): PictureBox {
        const key = `${organization.key}#zone:${zone ?? "?"}`;
        const existing = this.zones.get(key);
        if (existing) return existing;
        const box = this.add(organization, { key, level: "zone", label: `zone ${zone ?? "(unknown)"}`, mark: "unchanged", children: [] });
        this.zones.set(key, box);
        return box;
    }

    private organizationOf(object: PlatformObject, side: ObjectSet): PictureBox {
        const pointer = object.kind === "Community" ? side.parentOf(object) : undefined;
        const org = side.get(pointer?.urn);
        if (org) return this.boxes.get(org.urn) ?? this.organization(org.urn, org.name, "unchanged", undefined, str(org.fields.name));
        if (pointer?.urn && kindOfUrn(pointer.urn) === "Organization") return this.organization(pointer.urn, urnParts(pointer.urn).name, "unchanged", "not in this preview");
        return this.organizationNamed(str(object.facts.organization));
    }

    community({ object, side, mark }: Placed): void {
        if (this.boxes.has(object.urn)) return;
        const zone = this.zone(this.organizationOf(object, side), str(object.fields.zone));
        this.add(zone, { key: object.urn, level: "community", kind: "Community", label: `Community ${object.name}`, note: object.external ? "another stack" : undefined, mark, children: [] });
    }

    /** The box of a community a child points at, or a stand-in placed by the facts the child carries. */
    private communityBox(pointer: Pointer | undefined, side: ObjectSet | undefined, facts: { name?: string; zone?: string; organization?: string }): PictureBox {
        const known = side?.get(pointer?.urn);
        if (known && this.boxes.has(known.urn)) return this.boxes.get(known.urn)!;
        const key = pointer?.urn ?? pointer?.id ?? `community:${facts.organization}/${facts.name}`;
        const existing = this.boxes.get(key);
        if (existing) return existing;
        const name = pointer?.urn ? urnParts(pointer.urn).name : facts.name ?? pointer?.id;
        const zone = this.zone(this.organizationNamed(facts.organization), facts.zone);
        return this.add(zone, { key, level: "community", kind: "Community", label: named("Community", name), note: "not in this preview", mark: "unchanged", children: [] });
    }

    project({ object, side, mark }: Placed): void {
        const community = this.communityBox(side.parentOf(object), side, {
            name: str(object.facts.communityName), zone: str(object.facts.zone), organization: str(object.facts.organization),
        });
        this.add(community, { key: object.urn, level: "project", kind: "Project", label: `Project ${object.name}`, mark, children: [] });
    }

    /**
     * The box of a project a resource points at, or a stand-in for one the JSON does not hold (unchanged, in a preview
     * without --show-sames), in a stand-in community of the zone and organization the resource carries.
     */
    private projectBox(pointer: Pointer | undefined, facts: { zone?: string; organization?: string }): PictureBox {
        // Resources whose project is not known at all share one stand-in per organization and zone.
        const key = pointer?.urn ?? pointer?.id ?? `project:${facts.organization}/${facts.zone}`;
        const known = this.boxes.get(key);
        if (known) return known;
        const community = this.communityBox(undefined, undefined, facts);
        const name = pointer?.urn ? urnParts(pointer.urn).name : pointer?.id;
        return this.add(community, { key, level: "project", kind: "Project", label: named("Project", name), note: "not in this preview", mark: "unchanged", children: [] });
    }

    resource({ object, side, mark }: Placed): void {
        const facts = { zone: str(object.facts.zone), organization: str(object.facts.organization) };
        this.add(this.projectBox(side.parentOf(object), facts), { key: object.urn, level: "resource", kind: object.kind, label: `${object.kind} ${object.name}`, mark, children: [] });
    }

    /** The box of a shared resource, or a stand-in for one the JSON does not hold, made from the share's facts. */
    private sharedResourceBox(share: PlatformObject, side: ObjectSet): PictureBox | undefined {
        const pointer = side.parentOf(share);
        const key = pointer?.urn ?? pointer?.id;
        if (!key) return undefined;
        const known = this.boxes.get(key);
        if (known) return known;
        const project = this.projectBox(undefined, { zone: str(share.facts.resourceZone), organization: str(share.facts.resourceOrganization) });
        const kind = (pointer?.urn ? kindOfUrn(pointer.urn) : undefined) ?? str(share.fields.resourceKind) ?? "Resource";
        const name = pointer?.urn ? urnParts(pointer.urn).name : str(share.facts.resourceName) ?? key;
        return this.add(project, { key, level: "resource", label: `${kind} ${name}`, note: "not in this preview", mark: "unchanged", children: [] });
    }

    share({ object, side, mark }: Placed): void {
        const resourceBox = this.sharedResourceBox(object, side);
        if (!resourceBox) return;
        const community = this.communityBox(side.pointer(object, "communityId", ["Community"]), side, {
            name: str(object.facts.communityName), zone: str(object.facts.communityZone), organization: str(object.facts.communityOrganization),
        });
        this.edges.push({ from: resourceBox.key, to: community.key, relation: "shared into", mark, title: `${resourceBox.label} shared into ${lowerFirst(community.label)}` });
    }

    use({ object, side, mark }: Placed): void {
        const project = side.parentOf(object);
        const share = side.get(side.pointer(object, "shareId", ["Share"])?.urn);
        const resource = share ? side.parentOf(share) : undefined;
        const projectBox = project ? this.boxes.get(project.urn ?? project.id ?? "") : undefined;
        const resourceBox = resource ? this.boxes.get(resource.urn ?? resource.id ?? "") : undefined;
        if (!projectBox || !resourceBox) return;
        this.edges.push({ from: resourceBox.key, to: projectBox.key, relation: "used by", mark, title: `${resourceBox.label} used by ${lowerFirst(projectBox.label)}` });
    }
}

/** `Project training`, or `Project` for one whose name is not known. */
function named(kind: string, name: string | undefined): string {
    return name ? `${kind} ${name}` : kind;
}

/** `community Research` from `Community Research`: the kind in running text, the name as it is. */
function lowerFirst(label: string): string {
    return `${label.charAt(0).toLowerCase()}${label.slice(1)}`;
}

/** The picture of a stack as it stands: every object unchanged. */
export function standingPicture(title: string, objects: ObjectSet): Picture {
    return buildPicture(title, new ObjectSet([]), objects, () => "same");
}
