// URNs, built the way the engine builds them (pkg/resource/deploy/deployment.go generateURN):
//   urn:pulumi:<stack>::<project>::<qualified type>::<name>
// where the qualified type is the parent's qualified type, "$", then the resource's own type, except that the root
// stack is never used as a prefix.

export const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

interface ParsedUrn {
    stack: string;
    project: string;
    /** The full qualified type, e.g. `my:comp:Parent$pulumi-nodejs:dynamic:Resource`. */
    qualifiedType: string;
    /** The resource's own type: the last `$`-separated segment of the qualified type. */
    type: string;
    name: string;
}

export function parseUrn(urn: string): ParsedUrn {
    if (!urn.startsWith("urn:pulumi:")) {
        throw new Error(`invalid URN '${urn}'`);
    }
    const parts = urn.slice("urn:pulumi:".length).split("::");
    if (parts.length < 4) {
        throw new Error(`invalid URN '${urn}'`);
    }
    const [stack, project, qualifiedType] = parts;
    // A name may itself contain "::"; everything after the type belongs to it.
    const name = parts.slice(3).join("::");
    const typeSegments = qualifiedType.split("$");
    return { stack, project, qualifiedType, type: typeSegments[typeSegments.length - 1], name };
}

export function makeUrn(stack: string, project: string, parentUrn: string, type: string, name: string): string {
    let qualifiedType = type;
    if (parentUrn) {
        const parentType = parseUrn(parentUrn).qualifiedType;
        if (parentType !== ROOT_STACK_TYPE) {
            qualifiedType = `${parentType}$${type}`;
        }
    }
    return `urn:pulumi:${stack}::${project}::${qualifiedType}::${name}`;
}

/** The package of a type token: `pulumi-nodejs` for `pulumi-nodejs:dynamic:Resource`. */
export function typePackage(type: string): string {
    return type.split(":")[0];
}

/** Dynamic resources are `pulumi-nodejs:dynamic:Resource` or `pulumi-nodejs:dynamic/<module>:<Type>`. */
export const DYNAMIC_PACKAGE = "pulumi-nodejs";
