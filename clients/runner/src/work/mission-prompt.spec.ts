import {
  acceptanceCriteriaOf,
  DEFAULT_PROMPT_TEMPLATE,
  missionMarkdown,
  renderPrompt,
} from './mission-prompt';

const fields = {
  title: 'Collect regolith samples',
  description:
    'Near the rim.\n\n## Acceptance criteria\n- two samples\n- labelled\n\n## Notes\nBring a bag.',
  acceptanceCriteria: '- two samples\n- labelled',
  missionId: 'm-1',
  runId: 'r-1',
  workFolder: '/w/r-1',
  missionFile: '/w/r-1/MISSION.md',
};

describe('the mission prompt', () => {
  it('finds the acceptance criteria section of a description, up to the next heading', () => {
    expect(acceptanceCriteriaOf(fields.description)).toBe('- two samples\n- labelled');
    expect(acceptanceCriteriaOf('Do it.\n\n**Acceptance criteria:**\n1. done')).toBe('1. done');
    expect(acceptanceCriteriaOf('Acceptance criteria:\n- a\n- b\n')).toBe('- a\n- b');
    expect(acceptanceCriteriaOf('No criteria here.')).toBe('');
  });

  it('fills a template in, leaving unknown names and saying when a part is empty', () => {
    expect(renderPrompt('{{ title }} / {{acceptanceCriteria}} / {{unknown}}', fields)).toBe(
      'Collect regolith samples / - two samples\n- labelled / {{unknown}}',
    );
    expect(
      renderPrompt(DEFAULT_PROMPT_TEMPLATE, { ...fields, description: '', acceptanceCriteria: '' }),
    ).toContain('(no description)\n\nAcceptance criteria:\n(none given)');
  });

  it('writes the mission file with title, description and criteria', () => {
    expect(missionMarkdown(fields)).toBe(
      `# Collect regolith samples\n\nMission m-1, run r-1.\n\n## Description\n\n${fields.description}\n\n## Acceptance criteria\n\n- two samples\n- labelled\n`,
    );
  });
});
