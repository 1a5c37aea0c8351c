// What the validator reports. The kernel's BTF loader stops at its first problem and says it
// in one log line; the validator reports that same first problem first (so its verdict and
// first message match the kernel's) and may add more it found on the way.

export interface ValidationProblem {
  /** The type the problem belongs to; absent for header and string-section problems. */
  typeId?: number;
  /** Byte offset in the blob of the record (or header field) at fault, when known. */
  offset?: number;
  /** The kernel's own wording of the problem ("Invalid name", "Loop detected", ...). */
  reason: string;
  /** The full line: the kernel's description of the type (kind, name, details), then the reason. */
  message: string;
}

export interface ValidationResult {
  ok: boolean;
  problems: ValidationProblem[];
  /** The file name the caller gave, if any. */
  name?: string;
  /** What the verdict does not cover, when it matters for this blob (not problems). */
  notes?: string[];
}

/** One line per problem, as the kernel's verifier log puts it: `[typeId] message`. */
export function formatProblems(result: ValidationResult, file = result.name): string[] {
  const prefix = file ? `${file}: ` : "";
  return result.problems.map((p) => {
    const at = p.offset !== undefined ? ` (offset 0x${p.offset.toString(16)})` : "";
    return p.typeId !== undefined ? `${prefix}[${p.typeId}] ${p.message}${at}` : `${prefix}${p.message}${at}`;
  });
}

/** Collects problems up to a bound, so a hostile blob cannot make the report unbounded. */
export class ProblemList {
  readonly items: ValidationProblem[] = [];
  constructor(private readonly limit: number) {}

  get full(): boolean {
    return this.items.length >= this.limit;
  }

  get count(): number {
    return this.items.length;
  }

  add(problem: ValidationProblem): void {
    if (!this.full) this.items.push(problem);
  }
}
