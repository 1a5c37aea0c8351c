// @ts-check
/**
 * A test-only way to run many `btforge` command lines in one Node process: the fuzz suite sends
 * jobs as JSON lines on stdin ({"id", "argv", "cwd"}), and for each the worker calls the CLI's
 * main() exactly as bin.js does, with stdout and stderr captured, then answers on file
 * descriptor 3 with {"id", "code", "stdout", "stderr", "uncaught"}. Process start-up (0.2-0.3 s
 * of module loading per run) is paid once per batch instead of once per mutant.
 *
 * The per-file semantics of a real run are kept: the exit code is main()'s answer, the output is
 * everything the run wrote. What only a real process would show is reported rather than hidden:
 * an exception or rejection nobody caught (a real run would print a stack trace and die) is
 * returned in "uncaught"; a run that ends the process (process.exit) or never returns (a hang) is
 * seen by the parent, which re-runs that mutant as a real `btforge` process or reports the hang.
 * Plain JavaScript: it runs under node itself, against the built CLI (packages/cli/dist).
 */
import { writeSync } from "node:fs";
import { createInterface } from "node:readline";

const { main } = await import(new URL("../../packages/cli/dist/main.js", import.meta.url).href);

/** @type {string[] | undefined} */
let uncaught;
process.on("uncaughtException", (err) => (uncaught ??= []).push(`uncaught exception: ${err?.stack ?? err}`));
process.on("unhandledRejection", (err) => (uncaught ??= []).push(`unhandled rejection: ${/** @type {Error} */ (err)?.stack ?? err}`));

/** Replaces `stream.write` with a collector; returns the collected text and the restore function. */
function capture(/** @type {NodeJS.WriteStream} */ stream) {
  const chunks = /** @type {string[]} */ ([]);
  const original = stream.write;
  stream.write = /** @type {any} */ ((/** @type {any} */ chunk, /** @type {any} */ encoding, /** @type {any} */ callback) => {
    chunks.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
    const done = typeof encoding === "function" ? encoding : callback;
    if (typeof done === "function") process.nextTick(done);
    return true;
  });
  return { text: () => chunks.join(""), restore: () => void (stream.write = original) };
}

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  if (line.trim() === "") continue;
  const job = JSON.parse(line);
  process.chdir(job.cwd);
  uncaught = undefined;
  const out = capture(process.stdout);
  const err = capture(process.stderr);
  let code;
  try {
    code = await main(["node", "btforge", ...job.argv]);
  } catch (e) {
    // main() never rejects; if it did, a real run would die with a stack trace.
    (uncaught ??= []).push(`main() rejected: ${/** @type {Error} */ (e)?.stack ?? e}`);
    code = null;
  } finally {
    out.restore();
    err.restore();
  }
  // Let late callbacks (timers, stream errors) of this run land before it is judged.
  await new Promise((resolve) => setImmediate(resolve));
  writeSync(3, `${JSON.stringify({ id: job.id, code, stdout: out.text(), stderr: err.text(), uncaught: uncaught ?? [] })}\n`);
}
