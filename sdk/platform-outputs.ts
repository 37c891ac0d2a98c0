// Generated from provider/model/kinds.ts by `npm run generate` (tools/generate.ts); do not edit.
import * as pulumi from "@pulumi/pulumi";

/** What the platform decides for every object; PlatformResource (base.ts) builds on it. */
export abstract class PlatformOutputs extends pulumi.CustomResource {
    /** The platform's id of this object. */
    declare readonly id: pulumi.Output<string>;
    /** Id of the organization this object belongs to. */
    declare readonly organizationId: pulumi.Output<string>;
    /** Version of the object on the platform; every update adds one. */
    declare readonly version: pulumi.Output<number>;
    /** When the platform created the object (ISO 8601). */
    declare readonly createdAt: pulumi.Output<string>;
    /** When the object last changed (ISO 8601). */
    declare readonly updatedAt: pulumi.Output<string>;
    /** The subject that created the object. */
    declare readonly createdBy: pulumi.Output<string>;
}
