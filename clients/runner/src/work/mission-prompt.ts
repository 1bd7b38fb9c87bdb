/** The parts of a mission a prompt is made of. */
export type PromptFields = {
  title: string;
  description: string;
  acceptanceCriteria: string;
  missionId: string;
  runId: string;
  workFolder: string;
  missionFile: string;
};

export const DEFAULT_PROMPT_TEMPLATE = [
  'You are working on the mission "{{title}}" (mission {{missionId}}, run {{runId}}).',
  '',
  '{{description}}',
  '',
  'Acceptance criteria:',
  '{{acceptanceCriteria}}',
  '',
  'Work in {{workFolder}}; the mission is also in {{missionFile}}.',
].join('\n');

// A heading or a label line that opens the criteria, e.g. "## Acceptance criteria" or "Acceptance criteria:".
const CRITERIA_HEADING =
  /^\s{0,3}(?:#{1,6}\s*)?(?:\*\*)?acceptance criteria\s*:?(?:\*\*)?\s*:?\s*$/im;
const NEXT_HEADING = /^\s{0,3}#{1,6}\s/m;

/**
 * A mission's description and its acceptance criteria. Missions keep their criteria in the
 * description's "Acceptance criteria" section (the API has no field of its own for them); the
 * description is kept whole, the section is also given on its own.
 */
export function acceptanceCriteriaOf(description: string): string {
  const heading = CRITERIA_HEADING.exec(description);
  if (!heading) {
    return '';
  }
  const rest = description.slice(heading.index + heading[0].length).replace(/^\r?\n/, '');
  const next = NEXT_HEADING.exec(rest);
  return (next ? rest.slice(0, next.index) : rest).trim();
}

/** `{{name}}` replaced by the field's value; unknown names are left as they are. */
export function renderPrompt(template: string, fields: PromptFields): string {
  const values: Record<string, string> = {
    ...fields,
    acceptanceCriteria: fields.acceptanceCriteria || '(none given)',
    description: fields.description || '(no description)',
  };
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) =>
    Object.hasOwn(values, name) ? values[name]! : whole,
  );
}

/** The mission file written into the run's working folder. */
export function missionMarkdown(fields: PromptFields): string {
  return [
    `# ${fields.title}`,
    '',
    `Mission ${fields.missionId}, run ${fields.runId}.`,
    '',
    '## Description',
    '',
    fields.description || '(no description)',
    '',
    '## Acceptance criteria',
    '',
    fields.acceptanceCriteria || '(none given)',
    '',
  ].join('\n');
}
