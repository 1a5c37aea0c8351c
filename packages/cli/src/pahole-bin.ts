#!/usr/bin/env node
// The `btforge-pahole` executable: pahole's command line, btforge's encoder.
import { paholeMain } from "./pahole/run.js";

process.exitCode = await paholeMain(process.argv.slice(2));
