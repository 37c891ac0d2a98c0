#!/usr/bin/env node
// The command npm links at install time. It is plain JavaScript, committed, because npm links a package's bin only
// if the file exists when it installs, which is before the engine is built: it runs the compiled CLI (npm run build).
require("../dist/cli.js").runCommandLine();
