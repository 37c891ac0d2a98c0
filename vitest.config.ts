import { defineConfig } from "vitest/config";

export default defineConfig({
    test: {
        include: ["test/**/*.test.ts"],
        exclude: ["**/node_modules/**", "dist/**", "**/.pulumi-local/**"],
        // Tests spawn Pulumi's real processes (program runtime, dynamic-provider host): give them time.
        testTimeout: 60_000,
        hookTimeout: 60_000,
        pool: "forks",
    },
});
