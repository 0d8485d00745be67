/** The AI-interview configuration of a slot, micro1's fields (seed 002) with its defaults. */
export interface Skill {
  name: string;
  description?: string;
}

export interface CustomQuestion {
  question: string;
  /** Minutes, 1–4. */
  time: number;
  type: 'audio' | 'text';
}

export interface InterviewConfig {
  interview_name: string | null;
  skills: Skill[];
  custom_question_list: CustomQuestion[];
  interview_language: string;
  can_change_interview_language: boolean;
  only_coding_round: boolean;
  is_coding_round_required: boolean;
  selected_coding_language: string | null;
  coding_exercise_details: string | null;
  is_proctoring_required: boolean;
}

/** A partial update; a question may leave out its time (2 minutes) and type (audio). */
export type InterviewConfigPatch = Partial<Omit<InterviewConfig, 'custom_question_list'>> & {
  custom_question_list?: (Pick<CustomQuestion, 'question'> & Partial<CustomQuestion>)[];
};

export const CONFIG_FIELDS = [
  'interview_name',
  'skills',
  'custom_question_list',
  'interview_language',
  'can_change_interview_language',
  'only_coding_round',
  'is_coding_round_required',
  'selected_coding_language',
  'coding_exercise_details',
  'is_proctoring_required',
] as const satisfies readonly (keyof InterviewConfig)[];

export const DEFAULT_CONFIG: Readonly<InterviewConfig> = Object.freeze({
  interview_name: null,
  skills: [],
  custom_question_list: [],
  interview_language: 'en',
  can_change_interview_language: false,
  only_coding_round: false,
  is_coding_round_required: false,
  selected_coding_language: null,
  coding_exercise_details: null,
  is_proctoring_required: true,
});

/** The 36 interview languages of micro1's API, as codes in and out. */
export const INTERVIEW_LANGUAGES = [
  'en', 'fr', 'de', 'he', 'hi', 'pt', 'es', 'es-la', 'tr', 'ja', 'sv', 'ar', 'pl', 'dk', 'kr', 'it', 'nl', 'cz',
  'ua', 'ur', 'id', 'en-GB', 'es-MX', 'cn', 'zh-CN', 'zh-TW', 'zh-HK', 'ru', 'bn', 'ms', 'pt-BR', 'vi', 'tl', 'th',
  'afb', 'pt-PT',
] as const;

/** Applies a partial update in the canonical key order; question defaults (2 minutes, audio) filled in. */
export function mergeConfig(current: InterviewConfig, patch: InterviewConfigPatch): InterviewConfig {
  const merged = { ...current } as InterviewConfig;
  for (const field of CONFIG_FIELDS) {
    if (patch[field] !== undefined) (merged as unknown as Record<string, unknown>)[field] = patch[field];
  }
  merged.skills = merged.skills.map((s) => (s.description === undefined ? { name: s.name } : { name: s.name, description: s.description }));
  merged.custom_question_list = merged.custom_question_list.map((q) => ({
    question: q.question,
    time: q.time ?? 2,
    type: q.type ?? 'audio',
  }));
  return merged;
}

/** The configuration with its keys in the documented order (jsonb keeps its own order). */
export function canonicalConfig(config: InterviewConfig): InterviewConfig {
  return mergeConfig(DEFAULT_CONFIG as InterviewConfig, config);
}

/** A coding round needs its language; returns the rule's complaint or null. */
export function codingRoundProblem(config: InterviewConfig): string | null {
  if ((config.only_coding_round || config.is_coding_round_required) && !config.selected_coding_language) {
    return 'is required when only_coding_round or is_coding_round_required is true';
  }
  return null;
}

/**
 * The fields whose values differ, in the canonical order. Compared by value, not by their JSON
 * text: a configuration read back from the jsonb column has its objects' keys in jsonb's order
 * (shorter keys first, then bytewise: a question comes back as {time, type, question}), which is
 * not the order mergeConfig builds, so a text comparison saw a change where there was none.
 */
export function changedFields(before: InterviewConfig, after: InterviewConfig): (keyof InterviewConfig)[] {
  return CONFIG_FIELDS.filter((f) => !sameJsonValue(before[f], after[f]));
}

/**
 * Structural equality of two JSON values: objects by their keys and values whatever the keys'
 * order, arrays element by element in order (a reordered list is a change). A key holding
 * undefined counts as absent, as in JSON. Written by hand because the domain imports nothing but
 * itself (no node:util isDeepStrictEqual, no library), and this is all a configuration needs.
 */
export function sameJsonValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => sameJsonValue(item, b[i]));
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const leftKeys = Object.keys(left).filter((k) => left[k] !== undefined);
  const rightCount = Object.keys(right).filter((k) => right[k] !== undefined).length;
  return leftKeys.length === rightCount && leftKeys.every((k) => Object.hasOwn(right, k) && sameJsonValue(left[k], right[k]));
}
