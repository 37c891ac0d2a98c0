// pulumi-mlplatform: declarative management of an ML platform of the DataSphere kind.
export { Organization, OrganizationArgs, BillingAccount, BillingAccountArgs, BillingLink, BillingLinkArgs, Community, CommunityArgs, CommunityMember, CommunityMemberArgs, Role } from "./organization";
export { Project, ProjectArgs, ProjectSettings, ProjectLimits, ProjectMember, ProjectMemberArgs } from "./project";
export {
    Dataset, DatasetArgs, Secret, SecretArgs, DockerImage, DockerImageArgs, S3Connector, S3ConnectorArgs, Node, NodeArgs, InstanceSpec,
    Alias, AliasArgs, AliasTarget, DataProcTemplate, DataProcTemplateArgs, ClusterSpec, Model, ModelArgs, SparkConnector, SparkConnectorArgs,
    SparkCluster, Checkpoint, CheckpointArgs, ProjectResourceArgs,
} from "./resources";
export { Share, ShareArgs, ShareableResource } from "./share";
export { PlatformResource, PlatformResourceOptions, TYPE_MODULE } from "./base";
