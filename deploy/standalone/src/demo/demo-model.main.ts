import { readFileSync } from 'node:fs';
import { planTranscript } from './demo-model.transcript';

/**
 * The demo's scripted model, run by the runner's `command` adapter as `demo-model <mission file>`:
 * it reads the mission, then prints its transcript at the demo's pace and exits 0, or 1 for a run
 * that fails. MC_RUN_ID (set by the runner) seeds it; MC_DEMO_MODEL and MC_DEMO_PACE_MS say which
 * model it plays and how fast.
 */
function main(): void {
  const missionFile = process.argv[2] ?? process.env.MC_MISSION_FILE;
  if (!missionFile) {
    process.stderr.write('usage: demo-model <mission file>\n');
    process.exit(2);
  }
  const heading = /^# (.+)$/m.exec(readFileSync(missionFile, 'utf8'));
  const transcript = planTranscript({
    runId: process.env.MC_RUN_ID ?? missionFile,
    title: heading?.[1]?.trim() ?? 'the mission',
    model: process.env.MC_DEMO_MODEL ?? 'claude-sonnet-4-5',
    paceMs: Number(process.env.MC_DEMO_PACE_MS) || 4_000,
  });
  // The prompt comes on stdin too; read and let go, so the runner's write never meets a closed pipe.
  process.stdin.resume();
  process.stdin.on('error', () => undefined);
  for (const step of transcript.steps) {
    setTimeout(() => {
      for (const line of step.lines) {
        (line.stream === 'stdout' ? process.stdout : process.stderr).write(`${line.text}\n`);
      }
    }, step.atMs);
  }
  const last = transcript.steps.at(-1)?.atMs ?? 0;
  setTimeout(() => {
    process.stdin.destroy();
    process.exitCode = transcript.exitCode;
  }, last + 1);
}

main();
