// The closing line of `npm test`: vitest's counts plus the example steps, as "tests: N passed, N failed".
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "../..");
const read = (file: string) => JSON.parse(fs.readFileSync(path.join(ROOT, file), "utf8"));

const vitest = read("dist/vitest-results.json");
const examples = read("dist/examples-result.json");
const passed = vitest.numPassedTests + examples.passed;
const failed = vitest.numFailedTests + examples.failed;
console.log(`\nunit and integration tests: ${vitest.numPassedTests}, example steps: ${examples.passed}`);
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
