// Project resources. Each lives in one project (never moves) and in its community's zone.
import * as pulumi from "@pulumi/pulumi";
import { PlatformResource, PlatformResourceOptions } from "./base";
import { Project } from "./project";

type In<T> = pulumi.Input<T>;
type Opts = PlatformResourceOptions;

/** Arguments every project resource takes. */
export interface ProjectResourceArgs {
    /** The project. Can never change: a change replaces the resource. */
    project: Project;
    /** `[a-z]([-a-z0-9]{0,61}[a-z0-9])?`, unique among the project's resources of this kind. Default: the resource name plus a random suffix. */
    name?: In<string>;
    /** Free text, up to 256 characters. */
    description?: In<string>;
    /** Up to 64 labels. */
    labels?: In<Record<string, In<string>>>;
}

function projectInputs(args: ProjectResourceArgs) {
    return {
        projectId: args.project.id, organization: args.project.organization, zone: args.project.zone,
        name: args.name, description: args.description, labels: args.labels,
    };
}

/** Outputs every project resource has. */
abstract class ProjectResource extends PlatformResource {
    declare readonly projectId: pulumi.Output<string>;
    declare readonly name: pulumi.Output<string>;
    declare readonly description: pulumi.Output<string | undefined>;
    declare readonly labels: pulumi.Output<Record<string, string> | undefined>;
    /** Zone of the project's community: shares go only to communities of this zone. */
    declare readonly zone: pulumi.Output<string>;
    /** Name of the organization: shares go only to communities of this organization. */
    declare readonly organization: pulumi.Output<string>;
}

export interface DatasetArgs extends ProjectResourceArgs {
    /** Size in GB (1 to 4096). Can never change: a change replaces the dataset. */
    sizeGb: In<number>;
    /** Whether the dataset is attached to the project. An activated dataset cannot be deleted. */
    activated?: In<boolean>;
}

/** A fixed-size disk of data for fast access in a project. Shareable. */
export class Dataset extends ProjectResource {
    declare private readonly __kind: "Dataset";
    declare readonly sizeGb: pulumi.Output<number>;
    declare readonly activated: pulumi.Output<boolean | undefined>;

    constructor(name: string, args: DatasetArgs, opts?: Opts) {
        super("Dataset", name, args && { ...projectInputs(args), sizeGb: args.sizeGb, activated: args.activated }, opts);
    }

    static get(name: string, id: In<string>, opts?: Opts): Dataset {
        return new Dataset(name, undefined as never, { ...opts, id });
    }
}

export interface SecretArgs extends ProjectResourceArgs {
    /** The secret value: always secret in state and outputs, encrypted at rest, never shown in errors. */
    value: In<string>;
}

/** A secret value that cells read as an environment variable. Shareable. */
export class Secret extends ProjectResource {
    declare private readonly __kind: "Secret";
    /** The value (a Pulumi secret). */
    declare readonly value: pulumi.Output<string>;

    constructor(name: string, args: SecretArgs, opts?: Opts) {
        super("Secret", name, args && { ...projectInputs(args), value: args.value }, opts);
    }

    static get(name: string, id: In<string>, opts?: Opts): Secret {
        return new Secret(name, undefined as never, { ...opts, id });
    }
}

export interface DockerImageArgs extends ProjectResourceArgs {
    /** Image reference, e.g. cr.yandex/crp123/trainer:1.4. */
    image: In<string>;
    /** Registry user name (secret). */
    registryUsername?: In<string>;
    /** Registry password (secret). */
    registryPassword?: In<string>;
}

/** A Docker image a project runs in. Shareable. */
export class DockerImage extends ProjectResource {
    declare private readonly __kind: "DockerImage";
    declare readonly image: pulumi.Output<string>;
    declare readonly registryUsername: pulumi.Output<string | undefined>;
    declare readonly registryPassword: pulumi.Output<string | undefined>;

    constructor(name: string, args: DockerImageArgs, opts?: Opts) {
        super("DockerImage", name, args && {
            ...projectInputs(args), image: args.image, registryUsername: args.registryUsername, registryPassword: args.registryPassword,
        }, opts);
    }

    static get(name: string, id: In<string>, opts?: Opts): DockerImage {
        return new DockerImage(name, undefined as never, { ...opts, id });
    }
}

export interface S3ConnectorArgs extends ProjectResourceArgs {
    /** Bucket name. */
    bucket: In<string>;
    /** Object storage endpoint URL. */
    endpoint?: In<string>;
    /** READ_ONLY or READ_WRITE. */
    mountMode?: In<"READ_ONLY" | "READ_WRITE">;
    /** Access key id (secret). */
    accessKeyId: In<string>;
    /** Secret access key (secret). */
    secretAccessKey: In<string>;
}

/** A saved connection to an object storage bucket, mountable into a project. Shareable. */
export class S3Connector extends ProjectResource {
    declare private readonly __kind: "S3Connector";
    declare readonly bucket: pulumi.Output<string>;
    declare readonly endpoint: pulumi.Output<string | undefined>;
    declare readonly mountMode: pulumi.Output<"READ_ONLY" | "READ_WRITE" | undefined>;
    declare readonly accessKeyId: pulumi.Output<string>;
    declare readonly secretAccessKey: pulumi.Output<string>;

    constructor(name: string, args: S3ConnectorArgs, opts?: Opts) {
        super("S3Connector", name, args && {
            ...projectInputs(args), bucket: args.bucket, endpoint: args.endpoint, mountMode: args.mountMode,
            accessKeyId: args.accessKeyId, secretAccessKey: args.secretAccessKey,
        }, opts);
    }

    static get(name: string, id: In<string>, opts?: Opts): S3Connector {
        return new S3Connector(name, undefined as never, { ...opts, id });
    }
}

export interface InstanceSpec {
    /** vCPUs per instance (1 to 64). */
    cpu: In<number>;
    /** Memory per instance in GB (1 to 512). */
    memoryGb: In<number>;
    /** GPUs per instance (0 to 8). */
    gpu?: In<number>;
}

export interface NodeArgs extends ProjectResourceArgs {
    /** Docker image the node serves. Set exactly one of image and model. */
    image?: In<string>;
    /** A model of the same project the node serves. Set exactly one of image and model. */
    model?: Model;
    /** Size of each instance. */
    instanceSpec: In<InstanceSpec>;
    /** Zone the instances run in; may differ from the community's zone. */
    instanceZone?: In<string>;
    /** Number of instances (1 to 16). */
    replicas?: In<number>;
}

/** A deployed service running a model or image. Shareable. */
export class Node extends ProjectResource {
    declare private readonly __kind: "Node";
    declare readonly image: pulumi.Output<string | undefined>;
    declare readonly modelId: pulumi.Output<string | undefined>;
    declare readonly instanceSpec: pulumi.Output<{ cpu: number; memoryGb: number; gpu?: number }>;
    declare readonly instanceZone: pulumi.Output<string | undefined>;
    declare readonly replicas: pulumi.Output<number | undefined>;

    constructor(name: string, args: NodeArgs, opts?: Opts) {
        super("Node", name, args && {
            ...projectInputs(args), image: args.image, modelId: args.model?.id, instanceSpec: args.instanceSpec,
            instanceZone: args.instanceZone, replicas: args.replicas,
        }, opts);
    }

    static get(name: string, id: In<string>, opts?: Opts): Node {
        return new Node(name, undefined as never, { ...opts, id });
    }
}

export interface AliasTarget {
    /** A node of the same project. */
    node: Node;
    /** Share of the traffic (1 to 100), relative to the other targets. */
    weight: In<number>;
}

export interface AliasArgs extends ProjectResourceArgs {
    /** 1 to 10 nodes of the same project and their weights. Nodes can be switched while the alias runs. */
    nodes: AliasTarget[];
}

/** Publishes a service and spreads its load over nodes by weight. Shareable. */
export class Alias extends ProjectResource {
    declare private readonly __kind: "Alias";
    declare readonly nodes: pulumi.Output<{ nodeId: string; weight: number }[]>;

    constructor(name: string, args: AliasArgs, opts?: Opts) {
        super("Alias", name, args && {
            ...projectInputs(args), nodes: args.nodes.map((t) => ({ nodeId: t.node.id, weight: t.weight })),
        }, opts);
    }

    static get(name: string, id: In<string>, opts?: Opts): Alias {
        return new Alias(name, undefined as never, { ...opts, id });
    }
}

export interface ClusterSpec {
    /** Data Proc image version, e.g. "2.1". */
    version: In<string>;
    /** Host preset of the master, e.g. s2.small. */
    masterPreset: In<string>;
    /** Host preset of compute hosts, e.g. s2.medium. */
    computePreset: In<string>;
    /** Number of compute hosts (1 to 32). */
    computeHosts: In<number>;
    /** Disk per host in GB (1 to 4096). */
    diskGb: In<number>;
}

export interface DataProcTemplateArgs extends ProjectResourceArgs {
    /** The cluster the template deploys. */
    cluster: In<ClusterSpec>;
}

/** A ready Data Proc cluster configuration that a project deploys on demand. */
export class DataProcTemplate extends ProjectResource {
    declare private readonly __kind: "DataProcTemplate";
    declare readonly cluster: pulumi.Output<{ version: string; masterPreset: string; computePreset: string; computeHosts: number; diskGb: number }>;

    constructor(name: string, args: DataProcTemplateArgs, opts?: Opts) {
        super("DataProcTemplate", name, args && { ...projectInputs(args), cluster: args.cluster }, opts);
    }

    static get(name: string, id: In<string>, opts?: Opts): DataProcTemplate {
        return new DataProcTemplate(name, undefined as never, { ...opts, id });
    }
}

export interface ModelArgs extends ProjectResourceArgs {
    /** pytorch, tensorflow, sklearn, catboost, onnx or other. */
    framework?: In<"pytorch" | "tensorflow" | "sklearn" | "catboost" | "onnx" | "other">;
    /** Where the weights are: an s3:// or https:// URL. */
    sourceUri?: In<string>;
}

/** A saved trained model. */
export class Model extends ProjectResource {
    declare private readonly __kind: "Model";
    declare readonly framework: pulumi.Output<string | undefined>;
    declare readonly sourceUri: pulumi.Output<string | undefined>;

    constructor(name: string, args: ModelArgs, opts?: Opts) {
        super("Model", name, args && { ...projectInputs(args), framework: args.framework, sourceUri: args.sourceUri }, opts);
    }

    static get(name: string, id: In<string>, opts?: Opts): Model {
        return new Model(name, undefined as never, { ...opts, id });
    }
}

export type SparkCluster =
    | { type: "existing"; clusterId: In<string> }
    | { type: "temporary"; spec: In<ClusterSpec> };

export interface SparkConnectorArgs extends ProjectResourceArgs {
    /** An existing Data Proc cluster, or the spec of a temporary one created per session. */
    cluster: In<SparkCluster>;
}

/** A saved connection to a Data Proc cluster for Spark sessions. */
export class SparkConnector extends ProjectResource {
    declare private readonly __kind: "SparkConnector";
    declare readonly cluster: pulumi.Output<SparkCluster>;

    constructor(name: string, args: SparkConnectorArgs, opts?: Opts) {
        super("SparkConnector", name, args && { ...projectInputs(args), cluster: args.cluster }, opts);
    }

    static get(name: string, id: In<string>, opts?: Opts): SparkConnector {
        return new SparkConnector(name, undefined as never, { ...opts, id });
    }
}

export interface CheckpointArgs extends ProjectResourceArgs {
    /** Where the saved state is: an s3:// or https:// URL. */
    sourceUri: In<string>;
    /** Notebook the state belongs to. */
    notebookPath?: In<string>;
}

/** A saved interpreter state. Every change makes a new version (see `version`); old versions stay listed. */
export class Checkpoint extends ProjectResource {
    declare private readonly __kind: "Checkpoint";
    declare readonly sourceUri: pulumi.Output<string>;
    declare readonly notebookPath: pulumi.Output<string | undefined>;

    constructor(name: string, args: CheckpointArgs, opts?: Opts) {
        super("Checkpoint", name, args && { ...projectInputs(args), sourceUri: args.sourceUri, notebookPath: args.notebookPath }, opts);
    }

    static get(name: string, id: In<string>, opts?: Opts): Checkpoint {
        return new Checkpoint(name, undefined as never, { ...opts, id });
    }
}
