// Compile-time checks of the SDK's Args and output types (run by `npm run typecheck:sdk`); each @ts-expect-error
// line must fail to compile, or tsc reports the directive as unused.
import * as pulumi from "@pulumi/pulumi";
import {
    Alias, AliasTarget, BillingAccount, ChatChannel, Community, CommunityMember, DataProcTemplate, Dataset, Model, Node, Organization, Project, ProjectLimits,
    Secret, Share, SharedResourceUse, SparkConnector,
} from "pulumi-mlplatform";

const org = new Organization("o", { displayName: "O", defaultZone: "ru-central1-a" });
const community = new Community("c", { organization: org, zone: "ru-central1-a" });
const project = new Project("p", { community });
const dataset = new Dataset("d", { project, sizeGb: 1 });

new Share("ok", { resource: dataset, community });
// @ts-expect-error a share goes into a community, not a project
new Share("into-project", { resource: dataset, community: project });
// @ts-expect-error models cannot be shared
new Share("model", { resource: new Model("m", { project }), community });
// @ts-expect-error a dataset needs a project
new Dataset("no-project", { sizeGb: 1 });
// @ts-expect-error a project belongs to a community, not an organization
new Project("p2", { community: org });
// @ts-expect-error sizes are numbers
new Dataset("d2", { project, sizeGb: "10" });
// @ts-expect-error a secret needs its value
new Secret("s", { project });
// @ts-expect-error roles are a closed set
new Community("c2", { organization: org, zone: "ru-central1-a", role: "owner" });
new Community("billed", { organization: org, zone: "ru-central1-a", billingAccount: BillingAccount.get("b", "dn2billing") });
// @ts-expect-error a community's billing account is a BillingAccount object, not its id
new Community("billed-by-id", { organization: org, zone: "ru-central1-a", billingAccount: "dn2billing" });

// Outputs are plain values (what the platform stores), never Inputs inside an Output.

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
function exactly<A, B>(check: Equals<A, B>): void { void check; }

exactly<typeof project.limits, pulumi.Output<{ maxUnitsPerHour?: number; maxUnitsPerExecution?: number } | undefined>>(true);
exactly<typeof project.settings, pulumi.Output<{
    serviceAccountId?: string; subnetId?: string; dataProcClusterId?: string; securityGroupIds?: string[]; defaultFolderId?: string;
    ide?: "JUPYTER_LAB"; staleExecTimeoutMode?: "ONE_HOUR" | "THREE_HOURS" | "NO_TIMEOUT"; vmInactivityTimeoutSeconds?: number;
} | undefined>>(true);
exactly<typeof project.unitBalance, pulumi.Output<number | undefined>>(true);
exactly<typeof community.billingAccountId, pulumi.Output<string | undefined>>(true);
exactly<typeof project.communityId, pulumi.Output<string>>(true);
exactly<typeof project.zone, pulumi.Output<string>>(true);
exactly<typeof dataset.sizeGb, pulumi.Output<number>>(true);
exactly<typeof dataset.activated, pulumi.Output<boolean | undefined>>(true);
exactly<typeof dataset.labels, pulumi.Output<Record<string, string> | undefined>>(true);
exactly<typeof dataset.name, pulumi.Output<string>>(true);
exactly<typeof org.defaultCommunityId, pulumi.Output<string>>(true);
exactly<typeof org.admins, pulumi.Output<string[] | undefined>>(true);
// @ts-expect-error the output is plain: ProjectLimits (with Input members) is the Args type
exactly<typeof project.limits, pulumi.Output<ProjectLimits | undefined>>(true);

const node = new Node("n", { project, image: "cr.example.net/a/b:1", instanceSpec: { cpu: pulumi.output(1), memoryGb: 2 } });
exactly<typeof node.instanceSpec, pulumi.Output<{ cpu: number; memoryGb: number; gpu?: number }>>(true);
exactly<typeof node.modelId, pulumi.Output<string | undefined>>(true);
const target: AliasTarget = { node, weight: pulumi.output(10) };
const alias = new Alias("a", { project, nodes: [target] });
exactly<typeof alias.nodes, pulumi.Output<{ nodeId: string; weight: number }[]>>(true);
// @ts-expect-error alias targets are nodes, not ids
new Alias("a2", { project, nodes: [{ nodeId: "nod", weight: 1 }] });
const cluster = { version: "2.1", masterPreset: "s2.small", computePreset: "s2.medium", computeHosts: 2, diskGb: pulumi.output(10) };
const template = new DataProcTemplate("t", { project, cluster });
exactly<typeof template.cluster, pulumi.Output<{ version: string; masterPreset: string; computePreset: string; computeHosts: number; diskGb: number }>>(true);
const spark = new SparkConnector("s", { project, cluster: { type: "temporary", spec: cluster } });
exactly<typeof spark.cluster, pulumi.Output<
    { type: "existing"; clusterId: string } | { type: "temporary"; spec: { version: string; masterPreset: string; computePreset: string; computeHosts: number; diskGb: number } }>>(true);
// @ts-expect-error a union's tag is a literal, not an Input
new SparkConnector("s2", { project, cluster: { type: pulumi.output("existing"), clusterId: "c" } });
const share = new Share("sh", { resource: dataset, community });
exactly<typeof share.resourceKind, pulumi.Output<"Dataset" | "Secret" | "DockerImage" | "S3Connector" | "Node" | "Alias">>(true);
exactly<typeof share.communityZone, pulumi.Output<string>>(true);
const member = new CommunityMember("m", { community, subject: "userAccount:a", role: "viewer" });
exactly<typeof member.role, pulumi.Output<"viewer" | "developer" | "editor" | "admin">>(true);
// @ts-expect-error roles are a closed set
new CommunityMember("m2", { community, subject: "userAccount:a", role: "owner" });
const account = new BillingAccount("b", { organization: org, status: "active" });
exactly<typeof account.status, pulumi.Output<"active" | "suspended">>(true);
// @ts-expect-error a billing account belongs to an organization
new BillingAccount("b2", { organization: community, status: "active" });

// A community's chat channel: a tagged union, the tag a literal, the link an Input.
const chat = new Community("chat", { organization: org, zone: "ru-central1-a", chatChannel: { service: "slack", url: pulumi.output("https://acme.slack.com/archives/C0123ABCD") } });
new Community("chat2", { organization: org, zone: "ru-central1-a", chatChannel: { service: "telegram", url: "https://t.me/acme_ml" } });
const channel: ChatChannel = { service: "telegram", url: "https://t.me/+AbCdEf0123456789" };
new Community("chat3", { organization: org, zone: "ru-central1-a", chatChannel: pulumi.output(channel) });
exactly<typeof chat.chatChannel, pulumi.Output<{ service: "slack"; url: string } | { service: "telegram"; url: string } | undefined>>(true);
// @ts-expect-error only Slack and Telegram channels can be linked
new Community("chat4", { organization: org, zone: "ru-central1-a", chatChannel: { service: "discord", url: "https://discord.gg/acme" } });
// @ts-expect-error a channel is an object with its service, not a bare link
new Community("chat5", { organization: org, zone: "ru-central1-a", chatChannel: "https://t.me/acme_ml" });
// @ts-expect-error a channel needs its link
new Community("chat6", { organization: org, zone: "ru-central1-a", chatChannel: { service: "slack" } });

// A project's use of a shared resource: the project and the share are objects, never ids.
const production = new Community("production", { organization: org, zone: "ru-central1-a" });
const serving = new Project("serving", { community: production });
const published = new Share("published", { resource: dataset, community: production });
const use = new SharedResourceUse("use", { project: serving, share: published });
exactly<typeof use.shareId, pulumi.Output<string>>(true);
exactly<typeof use.resourceKind, pulumi.Output<"Dataset" | "Secret" | "DockerImage" | "S3Connector" | "Node" | "Alias">>(true);
// @ts-expect-error a use takes a Share, not the resource shared
new SharedResourceUse("use2", { project: serving, share: dataset });
// @ts-expect-error a use goes into a project, not a community
new SharedResourceUse("use3", { project: production, share: published });
// @ts-expect-error ids are not objects
new SharedResourceUse("use4", { project: serving, share: "shraaaaaaaaaaaaaaaaa" });
