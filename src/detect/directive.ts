/**
 * Inline ignore directives, in any comment syntax (the marker is found anywhere on the
 * line): `jwt-guard-ignore`, `-next-line`, `-begin` and `-end` (src/suppress/suppressions.ts reads
 * them). The reader looks for the keyword in large files, which it then decodes whole.
 */
export const DIRECTIVE_KEYWORD = 'jwt-guard-ignore';

/** The directives, the keyword spelled out so that the pattern is a literal the regex checks read (__tests__/reliability/regex.test.ts). */
export const DIRECTIVE = /jwt-guard-ignore(-next-line|-begin|-end)?(?![\w-])/g;
