/** `bpftool btf dump file FILE` (raw BTF or an ELF's .BTF) reduced to counts, plus its text. */
import { spawnSync } from "node:child_process";

export interface BpftoolCounts {
  types: number;
  kinds: Record<string, number>;
  vars: number;
  /** DATASEC entries per section name. */
  datasecs: Record<string, number>;
}

export function bpftoolCounts(file: string): BpftoolCounts & { text: string } {
  const r = spawnSync("bpftool", ["btf", "dump", "file", file], { encoding: "utf8", maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`bpftool cannot read ${file}: ${r.stderr}`);
  const kinds: Record<string, number> = {};
  const datasecs: Record<string, number> = {};
  let types = 0;
  for (const m of r.stdout.matchAll(/^\[\d+\] (\w+) '([^']*)'(.*)$/gm)) {
    types++;
    kinds[m[1]!] = (kinds[m[1]!] ?? 0) + 1;
    if (m[1] === "DATASEC") datasecs[m[2]!] = (datasecs[m[2]!] ?? 0) + Number(/vlen=(\d+)/.exec(m[3]!)![1]);
  }
  return { types, kinds, vars: kinds.VAR ?? 0, datasecs, text: r.stdout };
}
