// A platform team's whole setup: one organization, a billing account, two communities in one zone billed both ways
// (research through a billing link, production by its own account from its creation), members and chat channels,
// projects with settings and limits, resources, shares between the teams, and the projects that use what is shared
// with them.
import * as pulumi from "@pulumi/pulumi";
import * as ml from "pulumi-mlplatform";

const config = new pulumi.Config();
const zone = config.get("zone") ?? "ru-central1-a";
// A change to try: `--config team-setup:nodeReplicas=2` updates the node in place.
const nodeReplicas = config.getNumber("nodeReplicas") ?? 1;
// Another: `--config team-setup:researchChat=https://t.me/acme_research` moves research's chat from Slack to a
// Telegram channel, an update in place.
const researchChat = config.get("researchChat");
// The API token stored as a platform Secret. Real stacks set it with `pulumi config set --secret apiToken`,
// or generate it with @pulumi/random's RandomPassword (see README); this default keeps the example runnable.
const apiToken = config.getSecret("apiToken") ?? pulumi.secret("example-token-change-me");

const org = new ml.Organization("acme", {
    displayName: "Acme",
    defaultZone: zone,
    admins: ["userAccount:platform-lead"],
    members: ["userAccount:alice", "userAccount:bob"],
});

const billing = new ml.BillingAccount("main", { organization: org, status: "active" });

// Each team talks in its own channel: the link its chat's "Copy link" gives (checked in preview).
const research = new ml.Community("research", {
    organization: org, zone, description: "Model research", labels: { team: "research" },
    chatChannel: researchChat ? { service: "telegram", url: researchChat } : { service: "slack", url: "https://acme.slack.com/archives/C0123ABCD" },
});
// Billed by its own account from its creation: its projects need no BillingLink (and a community never has both).
const production = new ml.Community("production", {
    organization: org, zone, description: "Serving", labels: { team: "prod" },
    chatChannel: { service: "telegram", url: "https://t.me/acme_production" },
    billingAccount: billing,
});
const researchBilling = new ml.BillingLink("research-billing", { community: research, billingAccount: billing });

new ml.CommunityMember("alice-research", { community: research, subject: "userAccount:alice", role: "editor" });
new ml.CommunityMember("bob-production", { community: production, subject: "userAccount:bob", role: "developer" });

// A project needs its community billed: depend on research's link so Pulumi creates it first.
const training = new ml.Project("training", {
    community: research,
    description: "Training pipelines",
    settings: { ide: "JUPYTER_LAB", staleExecTimeoutMode: "THREE_HOURS" },
    limits: { maxUnitsPerHour: 500, maxUnitsPerExecution: 100 },
    unitBalance: 10_000,
}, { dependsOn: [researchBilling] });
const serving = new ml.Project("serving", { community: production, limits: { maxUnitsPerHour: 200 } });
new ml.ProjectMember("bob-training", { project: training, subject: "userAccount:bob", role: "viewer" });

const dataset = new ml.Dataset("imagenet-subset", { project: training, sizeGb: 50 });
const token = new ml.Secret("api-token", { project: training, value: apiToken });
const image = new ml.DockerImage("trainer", { project: training, image: "cr.example.net/acme/trainer:1.4" });
const model = new ml.Model("classifier", { project: serving, framework: "pytorch", sourceUri: "s3://acme-models/classifier/v3" });
const node = new ml.Node("classifier-node", { project: serving, model, instanceSpec: { cpu: 4, memoryGb: 16 }, replicas: nodeReplicas });
const alias = new ml.Alias("classifier", { project: serving, nodes: [{ node, weight: 100 }] });

// Research publishes its data, image and token to production; production publishes its service back.
const datasetShare = new ml.Share("dataset-to-production", { resource: dataset, community: production });
new ml.Share("image-to-production", { resource: image, community: production });
new ml.Share("token-to-production", { resource: token, community: production });
const aliasShare = new ml.Share("alias-to-research", { resource: alias, community: research });

// What is shared into a community is used by its projects: serving (production) uses research's dataset, and
// training (research) calls production's service. A project of a community the resource is not shared into is
// refused in preview; while a project uses a share, the share stays (destroy removes the use first).
new ml.SharedResourceUse("dataset-in-serving", { project: serving, share: datasetShare });
new ml.SharedResourceUse("alias-in-training", { project: training, share: aliasShare });

export const organizationId = org.id;
export const defaultCommunity = org.defaultCommunityName;
export const researchCommunityId = research.id;
export const productionCommunityId = production.id;
export const trainingProjectId = training.id;
export const datasetName = dataset.name;
export const tokenValue = token.value; // stays a secret in outputs
