// BTF's name rules, as the kernel's loader applies them: type, member, enumerator, parameter,
// function and variable names are C identifiers of at most KSYM_NAME_LEN - 1 characters.
// (INT and FLOAT names are free text: gcc's "long unsigned int" is fine.)

/** The kernel's KSYM_NAME_LEN: longer names are rejected. */
export const MAX_NAME_LENGTH = 127;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function isValidIdentifier(name: string): boolean {
  return name.length <= MAX_NAME_LENGTH && IDENTIFIER.test(name);
}

/** Like isValidIdentifier, but also allowing the dots of ELF section names (DATASEC). */
export function isValidSectionName(name: string): boolean {
  return name.length > 0 && name.length <= MAX_NAME_LENGTH && /^[A-Za-z_.][A-Za-z0-9_.]*$/.test(name);
}
