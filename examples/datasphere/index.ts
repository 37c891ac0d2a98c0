// A team's setup on Yandex Cloud DataSphere itself (mlplatform:backend datasphere): two communities of an existing
// organization, each paid by its own billing account, a project with limits and a unit balance, one role in each, and
// a dataset made in DataSphere shared into the production community and used by its serving project. Organizations,
// billing accounts and datasets cannot be created through the API: the program reads them with `get`, the dataset
// named by its project (`<project id>/<dataset id>`).
//
//   pulumi config set datasphere:organizationId <id>      # yc organization-manager organization list
//   pulumi config set datasphere:researchBillingAccountId <id>     # yc billing account list
//   pulumi config set datasphere:productionBillingAccountId <id>
//   pulumi config set datasphere:dataset <project id>/<dataset id>
//   pulumi config set --secret mlplatform:iamToken "$(yc iam create-token)"   # or YC_TOKEN, or a key file
//
// Set datasphere:shareIntoEast true to see the share into a community of another zone refused in preview, and
// datasphere:declareBillingLink true to see a BillingLink refused (DataSphere bills a community from its creation).
import * as pulumi from "@pulumi/pulumi";
import * as ml from "pulumi-mlplatform";

const config = new pulumi.Config();
const org = ml.Organization.get("acme", config.require("organizationId"));
const researchBudget = ml.BillingAccount.get("research-budget", config.require("researchBillingAccountId"));
const productionBudget = ml.BillingAccount.get("production-budget", config.require("productionBillingAccountId"));

// The billing account is sent only when the community is created: DataSphere cannot read it back or change it, so
// a change fails in preview (link another account in the DataSphere UI instead). Its projects need no BillingLink.
const research = new ml.Community("research", {
    organization: org, zone: "ru-central1-a", description: "Model research", labels: { team: "ml" }, billingAccount: researchBudget,
});
const production = new ml.Community("production", { organization: org, zone: "ru-central1-a", description: "Serving", billingAccount: productionBudget });

const training = new ml.Project("training", {
    community: research,
    description: "Training runs",
    settings: { staleExecTimeoutMode: "THREE_HOURS", vmInactivityTimeoutSeconds: 1800 },
    limits: { maxUnitsPerHour: config.getNumber("maxUnitsPerHour") ?? 500 },
    unitBalance: 10_000,
});

new ml.CommunityMember("alice", { community: research, subject: "userAccount:alice", role: "admin" });
new ml.ProjectMember("ci", { project: training, subject: "serviceAccount:ci", role: "developer" });

// Made in DataSphere (no API creates datasets), read by reference so that its zone is known in preview.
const features = ml.Dataset.get("features", config.require("dataset"));
const shared = new ml.Share("features-to-production", { resource: features, community: production });
const serving = new ml.Project("serving", { community: production, description: "Online inference" });
new ml.SharedResourceUse("features-in-serving", { project: serving, share: shared });

if (config.getBoolean("declareBillingLink")) {
    new ml.BillingLink("research-billing", { community: research, billingAccount: productionBudget });
}

if (config.getBoolean("shareIntoEast")) {
    const east = new ml.Community("east", { organization: org, zone: "ru-central1-b" });
    new ml.Share("features-to-east", { resource: features, community: east });
}

export const researchId = research.id;
export const trainingId = training.id;
