// `btforge pahole ARGS...`: the same front end as the btforge-pahole executable. main() hands the
// arguments over before commander reads them (pahole's -j4 and --btf_features=a,b are argp syntax,
// not commander's); this registration only puts the command in `btforge --help`.
import type { Command } from "commander";

export function register(program: Command): void {
  program
    .command("pahole")
    .description("pahole's command line for kernel builds (-J, --btf_base, --btf_features, ...); also installed as btforge-pahole")
    .argument("[args...]", "pahole's arguments")
    .allowUnknownOption();
}
