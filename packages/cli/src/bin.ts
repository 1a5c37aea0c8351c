#!/usr/bin/env node
// The `btforge` executable.
import { main } from "./main.js";

process.exitCode = await main(process.argv);
