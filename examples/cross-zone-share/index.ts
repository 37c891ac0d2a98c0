// A mistake the platform forbids: publishing a dataset of a ru-central1-a community into a ru-central1-b
// community. `pulumi preview` fails at the Share, naming both communities and both zones; nothing is created.
import * as ml from "pulumi-mlplatform";

const org = new ml.Organization("globex", { displayName: "Globex", defaultZone: "ru-central1-a" });
const billing = new ml.BillingAccount("main", { organization: org, status: "active" });
const west = new ml.Community("west", { organization: org, zone: "ru-central1-a" });
const east = new ml.Community("east", { organization: org, zone: "ru-central1-b" });
const link = new ml.BillingLink("west-billing", { community: west, billingAccount: billing });
const project = new ml.Project("analytics", { community: west }, { dependsOn: [link] });
const dataset = new ml.Dataset("events", { project, sizeGb: 20 });

new ml.Share("events-to-east", { resource: dataset, community: east });
