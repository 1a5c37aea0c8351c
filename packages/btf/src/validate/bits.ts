// The kernel's BITS_ROUNDUP_BYTES on a u32: computed without the `+ 7` that would wrap at 2^32.
export const roundupBytes = (bits: number): number => (bits >>> 3) + (bits & 7 ? 1 : 0);
