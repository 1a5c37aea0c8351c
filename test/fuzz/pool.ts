/**
 * Runs `btforge` command lines for the fuzzer: a few long-lived batch workers (batch-worker.mjs,
 * one CLI run after another in one Node process) with a kill timer per run. A run the worker
 * cannot report faithfully is run again as a real `btforge` process: when the worker died under
 * it (process.exit, a native crash, out of memory). A run that does not answer before the timer is
 * a hang: the worker is killed and the run reported as hung, never retried into a test timeout.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { runCli } from "../support/cli.js";

const WORKER = fileURLToPath(new URL("./batch-worker.mjs", import.meta.url));

export interface Job {
  argv: readonly string[];
  cwd: string;
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** Exceptions or rejections no one caught (a real process would have printed a stack trace). */
  uncaught: string[];
  /** "worker" for a batch run, "process" for a real btforge process. */
  via: "worker" | "process";
}

interface Pending {
  id: number;
  job: Job;
  resolve: (r: RunResult) => void;
  timer: NodeJS.Timeout;
  strayOut: string;
  strayErr: string;
}

interface Worker {
  child: ChildProcess;
  pending: Pending | undefined;
  answers: string;
  alive: boolean;
}

export class CliPool {
  private workers: Worker[] = [];
  private readonly queue: { job: Job; resolve: (r: RunResult) => void }[] = [];
  private nextId = 0;

  /** `size` workers at most; `timeoutMs` per run; `batch` false runs every job as a real process. */
  constructor(
    private readonly size: number,
    private readonly timeoutMs: number,
    private readonly batch = true,
  ) {}

  run(job: Job): Promise<RunResult> {
    if (!this.batch) return this.viaProcess(job);
    return new Promise((resolve) => {
      this.queue.push({ job, resolve });
      this.dispatch();
    });
  }

  /** Ends the workers (each finishes reading its stdin and exits). */
  close(): void {
    for (const w of this.workers) if (w.alive) w.child.stdin?.end();
  }

  private async viaProcess(job: Job): Promise<RunResult> {
    const r = await runCli(job.argv, { cwd: job.cwd, timeoutMs: this.timeoutMs });
    return { ...r, uncaught: [], via: "process" };
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let w = this.workers.find((x) => x.alive && x.pending === undefined);
      if (!w) {
        const live = this.workers.filter((x) => x.alive);
        if (live.length >= this.size) return;
        w = this.spawnWorker();
      }
      const { job, resolve } = this.queue.shift()!;
      this.send(w, job, resolve);
    }
  }

  private spawnWorker(): Worker {
    const child = spawn(process.execPath, [WORKER], { stdio: ["pipe", "pipe", "pipe", "pipe"] });
    const w: Worker = { child, pending: undefined, answers: "", alive: true };
    this.workers = [...this.workers.filter((x) => x.alive), w];
    child.stdout!.on("data", (b: Buffer) => w.pending && (w.pending.strayOut += b.toString("utf8")));
    child.stderr!.on("data", (b: Buffer) => w.pending && (w.pending.strayErr += b.toString("utf8")));
    (child.stdio[3] as NodeJS.ReadableStream).on("data", (b: Buffer) => {
      w.answers += b.toString("utf8");
      for (let nl = w.answers.indexOf("\n"); nl >= 0; nl = w.answers.indexOf("\n")) {
        const line = w.answers.slice(0, nl);
        w.answers = w.answers.slice(nl + 1);
        this.answer(w, JSON.parse(line) as { id: number; code: number | null; stdout: string; stderr: string; uncaught: string[] });
      }
    });
    child.stdin!.on("error", () => {}); // a worker that died: handled on "exit"
    child.on("exit", () => {
      w.alive = false;
      const p = w.pending;
      w.pending = undefined;
      if (p) {
        // The worker ended under this run (process.exit, a crash): the real process decides.
        clearTimeout(p.timer);
        void this.viaProcess(p.job).then(p.resolve);
      }
      this.dispatch();
    });
    return w;
  }

  private send(w: Worker, job: Job, resolve: (r: RunResult) => void): void {
    const id = this.nextId++;
    const timer = setTimeout(() => {
      const p = w.pending;
      if (!p || p.id !== id) return;
      w.pending = undefined;
      w.alive = false;
      w.child.kill("SIGKILL");
      p.resolve({ code: null, signal: "SIGKILL", stdout: p.strayOut, stderr: p.strayErr, timedOut: true, uncaught: [], via: "worker" });
      this.dispatch();
    }, this.timeoutMs);
    w.pending = { id, job, resolve, timer, strayOut: "", strayErr: "" };
    w.child.stdin!.write(`${JSON.stringify({ id, argv: job.argv, cwd: job.cwd })}\n`);
  }

  private answer(w: Worker, a: { id: number; code: number | null; stdout: string; stderr: string; uncaught: string[] }): void {
    const p = w.pending;
    if (!p || p.id !== a.id) return;
    clearTimeout(p.timer);
    w.pending = undefined;
    // Output that escaped the capture (written straight to the descriptors) is output all the same.
    p.resolve({ code: a.code, signal: null, stdout: a.stdout + p.strayOut, stderr: a.stderr + p.strayErr, timedOut: false, uncaught: a.uncaught, via: "worker" });
    this.dispatch();
  }
}
