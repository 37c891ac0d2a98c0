// From Pulumi's resource records to platform objects: which kind each is, its logical name, its fields with every
// secret masked, and what it points at (its parent and references), found by id once the object exists and by the
// URNs its inputs came from before it does (a preview's new objects have no ids yet).
import { isKindName, KindDecl, KindName, KINDS } from "../model/kinds";
import { PROVIDER_KEY, SECRET_INPUTS_KEY } from "../model/inputs";
import { UNKNOWN } from "../model/unknown";
import type { ResourceRecord } from "./pulumi-json";
import { maskSecrets, SECRET } from "./values";

/** The module this package's classes register their types under (sdk/base.ts TYPE_MODULE; a test keeps them equal). */
export const TYPE_MODULE = "mlplatform";
const OWN_TYPE = new RegExp(`^pulumi-nodejs:dynamic/${TYPE_MODULE}:([A-Za-z0-9]+)$`);
/** The type every dynamic resource had before SDK 3.52.0 let a program name its type. */
const GENERIC_DYNAMIC_TYPE = "pulumi-nodejs:dynamic:Resource";
/** How the serialized provider names its kind: a require() of the kind's module (installed), or its `kind` (linked). */
const PROVIDER_KIND = [/providers\/([A-Za-z0-9]+)(?:\.js)?["']/, /\.kind = "([A-Za-z0-9]+)"/];

export interface PlatformObject {
    readonly urn: string;
    readonly kind: KindName;
    /** The logical name the program gave (the URN's last part): what a reviewer finds in the code. */
    readonly name: string;
    readonly id?: string;
    /** The kind's declared fields, every secret (declared, passed as a secret, or marked so by Pulumi) masked. */
    readonly fields: Readonly<Record<string, unknown>>;
    /** The plan-time facts the object carries (organization and community names, zones): never secret. */
    readonly facts: Readonly<Record<string, unknown>>;
    /** Names of fields whose values are secret here. */
    readonly secretFields: readonly string[];
    /** Read with `get`: another stack manages it. */
    readonly external: boolean;
    readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
    /** The platform's own outputs (`platform`: the default community's name, the zone). */
    readonly platform: Readonly<Record<string, unknown>>;
}

/** The parts of a URN: `urn:pulumi:<stack>::<project>::<parent types$type>::<name>`. */
export function urnParts(urn: string): { type: string; name: string } {
    const parts = urn.split("::");
    if (parts.length < 4) return { type: "", name: urn };
    return { type: parts[2].split("$").pop() ?? "", name: parts.slice(3).join("::") };
}

function kindFromType(type: string): KindName | undefined {
    const own = OWN_TYPE.exec(type)?.[1];
    return isKindName(own) ? own : undefined;
}

/** The kind of a record of this package, or undefined for any other resource (the stack, providers, other packages). */
export function kindOfRecord(record: Pick<ResourceRecord, "type" | "id" | "inputs" | "outputs">): KindName | undefined {
    const byType = kindFromType(record.type);
    if (byType || record.type !== GENERIC_DYNAMIC_TYPE) return byType;
    // A generic dynamic resource is ours when its serialized provider names one of our kinds' modules.
    for (const source of [record.inputs[PROVIDER_KEY], record.outputs[PROVIDER_KEY]]) {
        if (typeof source !== "string") continue;
        for (const pattern of PROVIDER_KIND) {
            const named = pattern.exec(source)?.[1];
            if (isKindName(named)) return named;
        }
    }
    return undefined;
}

/** The kind a URN names, for an object known only as another's parent (a preview without --show-sames). */
export function kindOfUrn(urn: string): KindName | undefined {
    return kindFromType(urnParts(urn).type);
}

/**
 * The fields a kind stores, from a record's inputs; a record read with `get` has them in its outputs. `knownId`: the
 * id from the old state, for a new state written before the engine copied it over (previews mostly are).
 */
export function platformObject(record: ResourceRecord, knownId?: string): PlatformObject | undefined {
    const kind = kindOfRecord(record);
    if (!kind) return undefined;
    const decl = KINDS[kind];
    const source = Object.keys(decl.spec.shape).some((key) => record.inputs[key] !== undefined) ? record.inputs : record.outputs;
    const programSecret = Array.isArray(source[SECRET_INPUTS_KEY]) ? (source[SECRET_INPUTS_KEY] as unknown[]).filter((k): k is string => typeof k === "string") : [];
    const fields: Record<string, unknown> = {};
    const secretFields: string[] = [];
    for (const key of Object.keys(decl.spec.shape)) {
        const value = source[key];
        if (value === undefined || value === null) continue;
        // A declared secret is masked whatever form it arrives in, even as plain text from a tool that forgot to mark it.
        const masked = decl.secrets.includes(key) || programSecret.includes(key) ? SECRET : maskSecrets(value);
        if (masked === SECRET) secretFields.push(key);
        fields[key] = masked;
    }
    const facts: Record<string, unknown> = {};
    for (const key of decl.context) {
        const value = maskSecrets(source[key]);
        if (value !== undefined && value !== null && value !== SECRET) facts[key] = value;
    }
    const platform = maskSecrets(record.outputs.platform);
    const id = record.id ?? (typeof record.outputs.id === "string" ? record.outputs.id : undefined) ?? knownId;
    return {
        urn: record.urn, kind, name: urnParts(record.urn).name, id: id && id !== UNKNOWN ? id : undefined,
        fields, facts, secretFields, external: record.external, propertyDependencies: record.propertyDependencies,
        platform: typeof platform === "object" && platform !== null && platform !== SECRET ? (platform as Record<string, unknown>) : {},
    };
}

/** What one field of an object points at: the URN when known, else only the id. */
export interface Pointer {
    readonly urn?: string;
    readonly id?: string;
}

/** The objects of one side of a change (before or after), found by URN and by id. */
export class ObjectSet {
    private readonly byUrn = new Map<string, PlatformObject>();
    private readonly byId = new Map<string, PlatformObject>();

    constructor(objects: Iterable<PlatformObject>) {
        for (const object of objects) {
            this.byUrn.set(object.urn, object);
            if (object.id) this.byId.set(object.id, object);
        }
    }

    get objects(): PlatformObject[] {
        return [...this.byUrn.values()];
    }

    get(urn: string | undefined): PlatformObject | undefined {
        return urn === undefined ? undefined : this.byUrn.get(urn);
    }

    has(urn: string): boolean {
        return this.byUrn.has(urn);
    }

    /** The URN an id belongs to, if any object here has it. */
    urnOfId(id: string): string | undefined {
        return this.byId.get(id)?.urn;
    }

    /**
     * What `field` (a parent field, or a reference's top-level field) of `object` points at, among `kinds`: the object
     * with that id, else the resource the input came from (how a new object knows its parent in preview), else the id.
     */
    pointer(object: PlatformObject, field: string, kinds: readonly KindName[]): Pointer | undefined {
        const value = object.fields[field];
        const id = typeof value === "string" && value !== UNKNOWN ? value : undefined;
        const byId = id === undefined ? undefined : this.byId.get(id);
        if (byId && kinds.includes(byId.kind)) return { urn: byId.urn, id };
        const from = (object.propertyDependencies[field] ?? []).find((urn) => {
            const kind = this.get(urn)?.kind ?? kindOfUrn(urn);
            return kind !== undefined && kinds.includes(kind);
        });
        if (from) return { urn: from, id };
        return id ? { id } : undefined;
    }

    /** The object's parent (project of a dataset, community of a project, resource of a share). */
    parentOf(object: PlatformObject): Pointer | undefined {
        const parent = KINDS[object.kind].parent;
        return parent ? this.pointer(object, parent.field, parent.kinds) : undefined;
    }
}

/** The references of a kind whose field can never change: the objects that go when what they point at is replaced. */
export function bindingFields(decl: KindDecl): { field: string; kinds: readonly KindName[] }[] {
    const fields = decl.parent ? [{ field: decl.parent.field, kinds: decl.parent.kinds }] : [];
    for (const ref of decl.references) {
        const field = ref.path.split(/[.[]/)[0];
        if (decl.immutable.includes(field)) fields.push({ field, kinds: ref.kinds });
    }
    return fields.filter(({ field }) => decl.immutable.includes(field));
}

/** A kind and logical name as a reader says it: `Project training`. */
export function labelOf(object: Pick<PlatformObject, "kind" | "name">): string {
    return `${object.kind} ${object.name}`;
}
