// The terminal's view of progress: one cli-progress bar on stderr, redrawn at most 10 times a second.
import { Presets, SingleBar } from "cli-progress";
import type { ProgressReporter } from "@btforge/core";

export function progressBar(stream: NodeJS.WriteStream): ProgressReporter {
  let bar: SingleBar | undefined;
  return {
    start(total) {
      bar?.stop();
      bar = new SingleBar({ stream, fps: 10, clearOnComplete: true, hideCursor: true, format: "{bar} {value}/{total} {label}" }, Presets.shades_classic);
      bar.start(total, 0, { label: "" });
    },
    tick(label) {
      bar?.increment(1, { label: label ?? "" });
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}
