import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ClaimedMission } from '@mission-control/sdk';
import {
  acceptanceCriteriaOf,
  missionMarkdown,
  type PromptFields,
  renderPrompt,
} from './mission-prompt';

export const MISSION_FILE = 'MISSION.md';

export type WorkFolder = {
  path: string;
  missionFile: string;
  fields: PromptFields;
  prompt: string;
};

/** Run ids are UUIDs; anything else is refused rather than let out of the work root. */
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** `<workRoot>/<runId>/` made afresh, with the mission written into it, and the prompt. */
export async function prepareWorkFolder(
  workRoot: string,
  runId: string,
  mission: ClaimedMission,
  promptTemplate: string,
): Promise<WorkFolder> {
  if (!SAFE_NAME.test(runId)) {
    throw new Error(`A run id cannot name a folder: ${JSON.stringify(runId)}`);
  }
  const folder = path.join(path.resolve(workRoot), runId);
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const missionFile = path.join(folder, MISSION_FILE);
  const fields: PromptFields = {
    title: mission.title,
    description: mission.description,
    acceptanceCriteria: acceptanceCriteriaOf(mission.description),
    missionId: mission.id,
    runId,
    workFolder: folder,
    missionFile,
  };
  await writeFile(missionFile, missionMarkdown(fields), 'utf8');
  return { path: folder, missionFile, fields, prompt: renderPrompt(promptTemplate, fields) };
}

export async function removeWorkFolder(folder: string): Promise<void> {
  await rm(folder, { recursive: true, force: true });
}
