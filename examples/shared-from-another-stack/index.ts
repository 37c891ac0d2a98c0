// A second team's program: it does not manage the organization, communities or projects. It reads the
// community and project that the team-setup stack manages with `get`, adds its own dataset and shares it.
// Zones and organizations come back from the platform with `get`, so the sharing rules still run in preview.
import * as pulumi from "@pulumi/pulumi";
import * as ml from "pulumi-mlplatform";

const config = new pulumi.Config();
const production = ml.Community.get("production", config.require("productionCommunityId"));
const training = ml.Project.get("training", config.require("trainingProjectId"));

const features = new ml.Dataset("features", { project: training, sizeGb: config.getNumber("sizeGb") ?? 5 });
new ml.Share("features-to-production", { resource: features, community: production });

export const featuresId = features.id;
export const sharedInto = production.name;
