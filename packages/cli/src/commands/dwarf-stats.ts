// `btforge dwarf-stats FILE`: DIEs per DWARF tag, units per DWARF version and unit type. The input
// goes through core's load and dwarf phases (its loader plugins), so it fails exactly as an encode
// of the same file would; the configuration is loaded and checked too.
import type { Command } from "commander";
import { dwarfStats, Encoder, loadConfig, loaderPlugins } from "@btforge/core";
import { commandContext } from "../context.js";
import { print, table } from "../output.js";

/** The --json shape (test/support/cli.ts reads it). */
export interface DwarfStatsJson {
  file: string;
  units: number;
  versions: Record<string, number>;
  unitTypes: Record<string, number>;
  tags: Record<string, number>;
}

async function collect(file: string, command: Command): Promise<DwarfStatsJson> {
  const context = commandContext(command);
  const config = await loadConfig(context.configOptions);
  const encoder = new Encoder({ config, plugins: loaderPlugins(), progress: context.progress, trace: context.trace });
  const encoding = await encoder.run(file, { until: "dwarf" });
  try {
    const stats = dwarfStats(encoding.dwarf);
    context.reportDiagnostics(encoding);
    return { file, units: stats.units, versions: stats.versions, unitTypes: stats.unitTypes, tags: stats.tags };
  } finally {
    encoding.close();
  }
}

const byCountThenName = ([a, x]: [string, number], [b, y]: [string, number]) => y - x || (a < b ? -1 : a > b ? 1 : 0);

export function formatText(stats: DwarfStatsJson): string {
  const list = (record: Record<string, number>, prefix = "") =>
    Object.entries(record)
      .sort(byCountThenName)
      .map(([k, n]) => `${prefix}${k}: ${n}`)
      .join(", ");
  const tags = Object.entries(stats.tags).sort(byCountThenName);
  const total = tags.reduce((sum, [, n]) => sum + n, 0);
  return [
    stats.file,
    `units: ${stats.units} (${list(stats.versions, "DWARF ")}; ${list(stats.unitTypes)})`,
    `DIEs: ${total}`,
    "",
    table([["tag", "DIEs"], ...tags, ["total", total]]),
  ].join("\n");
}

export function register(program: Command): void {
  program
    .command("dwarf-stats")
    .description("count DIEs per DWARF tag, and units per DWARF version and unit type")
    .argument("<file>", "an ELF file with DWARF (object, module, vmlinux)")
    .option("--json", "print the counts as JSON")
    .action(async (file: string, options: { json?: boolean }, command: Command) => {
      const stats = await collect(file, command);
      print(options.json ? JSON.stringify(stats, null, 2) : formatText(stats));
    });
}
