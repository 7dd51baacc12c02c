/**
 * Stable codes of what can be wrong with a search as typed, and of a body filter the registry does not
 * know. Worded by the catalogue (src/messages/sv.ts) at the edges.
 */
export const SEARCH_ERRORS = {
  emptyQuery: "search.empty_query",
  onlyCommonWords: "search.only_common_words",
  tooLong: "search.too_long",
  unknownKind: "search.unknown_kind",
  emptyBody: "search.empty_body",
  invalidYear: "search.invalid_year",
  unknownBody: "search.unknown_body",
  ambiguousBody: "search.ambiguous_body",
} as const;

export type SearchErrorCode = (typeof SEARCH_ERRORS)[keyof typeof SEARCH_ERRORS];
