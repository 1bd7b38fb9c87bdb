// An agent in its own process, speaking GraphQL over HTTP to the gateway with its own token as a
// real agent does, so a chaos spec can SIGKILL it mid-run. It reports what it did as JSON lines
// on stdout; a log chunk is reported only once the gateway acknowledged it.
//
// Env: GATEWAY_URL, AGENT_TOKEN, WORKSPACE_ID, and
//   MODE=work (default): ask for work (nextMission), start a run, send CHUNKS chunks of LINES lines
//     PACE_MS apart (CHUNKS=0: without end), report usage, finish SUCCEEDED, move the mission to
//     Done; then ask again, MISSIONS times at most, waiting IDLE_MS whenever there is nothing.
//     Heartbeats every HEARTBEAT_MS (default 1000) meanwhile, as a running agent does: while they
//     arrive its claims' leases are kept; once they stop it goes offline and its claims end.
//   MODE=late: the writes of a holder whose claim ended, with its old MISSION_ID and RUN_ID:
//     appendRunLog, finishRun and renewLease, each once; reports the code each was answered with.
const { GATEWAY_URL, AGENT_TOKEN, WORKSPACE_ID } = process.env;
const MODE = process.env.MODE ?? 'work';
const CHUNKS = Number(process.env.CHUNKS ?? 5);
const LINES = Number(process.env.LINES ?? 20);
const PACE_MS = Number(process.env.PACE_MS ?? 50);
const MISSIONS = Number(process.env.MISSIONS ?? Infinity);
const IDLE_MS = Number(process.env.IDLE_MS ?? 250);
const NAME = process.env.AGENT_NAME ?? 'agent';
const HEARTBEAT_MS = Number(process.env.HEARTBEAT_MS ?? 1000);

const NEXT = `mutation ($ws: ID!) { nextMission(workspaceId: $ws) { id claimEpoch } }`;
const START = `mutation ($ws: ID!, $id: ID!) {
  startRun(workspaceId: $ws, missionId: $id, input: { adapter: "shell", model: "claude-sonnet-4-5", provider: "anthropic" }) { id }
}`;
const APPEND = `mutation ($ws: ID!, $run: ID!, $lines: [RunLogLineInput!]!) {
  appendRunLog(workspaceId: $ws, runId: $run, lines: $lines) { firstPosition lastPosition }
}`;
const USAGE = `mutation ($ws: ID!, $run: ID!) {
  reportRunUsage(workspaceId: $ws, runId: $run, input: { model: "claude-sonnet-4-5", inputTokens: 1000, outputTokens: 200 }) { id }
}`;
const FINISH = `mutation ($ws: ID!, $run: ID!, $outcome: RunOutcome!) {
  finishRun(workspaceId: $ws, runId: $run, outcome: $outcome, summary: "done") { status }
}`;
const RUN = `query ($ws: ID!, $run: ID!) { run(workspaceId: $ws, id: $run) { status } }`;
const DONE = `mutation ($ws: ID!, $id: ID!) { moveMission(workspaceId: $ws, missionId: $id, column: DONE) { id } }`;
const HEARTBEAT = `mutation { heartbeat(status: BUSY, activity: "chaos work loop") { id } }`;
const RENEW = `mutation ($ws: ID!, $id: ID!) { renewLease(workspaceId: $ws, missionId: $id) { id } }`;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const report = (event) => process.stdout.write(`${JSON.stringify({ agent: NAME, ...event })}\n`);

/** A GraphQL call's data, or its first error's code; `null` data when the gateway did not answer. */
async function call(query, variables) {
  try {
    const response = await fetch(`${GATEWAY_URL}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${AGENT_TOKEN}` },
      body: JSON.stringify({ query, variables: { ws: WORKSPACE_ID, ...variables } }),
    });
    const body = await response.json();
    const error = body.errors?.[0];
    if (error) {
      return {
        code: error.extensions?.code ?? 'INTERNAL_ERROR',
        retryable: error.extensions?.retryable === true,
        message: error.message,
      };
    }
    return { data: body.data };
  } catch (error) {
    return { code: 'UNREACHABLE', retryable: true, message: String(error) };
  }
}

/**
 * Sends again what the gateway says is worth retrying as it is (a service restarting), as an
 * agent would; a CONFLICT is retried only after re-reading (docs/api.md), so it is the caller's.
 */
async function retrying(query, variables) {
  let last;
  for (;;) {
    const result = await call(query, variables);
    if (!result.retryable || result.code === 'CONFLICT') {
      return result;
    }
    if (result.code !== last) {
      process.stderr.write(`${NAME} retries (${result.code}: ${result.message})\n`);
      last = result.code;
    }
    await sleep(200);
  }
}

class LostClaim extends Error {}

/** The data; a CONFLICT means this agent's claim ended (stop that mission); anything else fails. */
async function must(what, query, variables) {
  const result = await retrying(query, variables);
  if (result.code === 'CONFLICT') {
    throw new LostClaim(what);
  }
  if (result.code) {
    throw new Error(`${what}: ${result.code} ${result.message}`);
  }
  return result.data;
}

async function work(missionId, epoch) {
  // A start whose answer was lost to a restart is sent again: the second run is the one used, the
  // first ends with the claim.
  const { startRun } = await must('startRun', START, { id: missionId });
  const runId = startRun.id;
  report({ event: 'started', missionId, runId, epoch });
  for (let chunk = 1; CHUNKS === 0 || chunk <= CHUNKS; chunk++) {
    const lines = Array.from({ length: LINES }, (_, i) => ({
      text: `${NAME} ${runId} chunk ${chunk} line ${i + 1}`,
    }));
    const { appendRunLog } = await must('appendRunLog', APPEND, { run: runId, lines });
    report({
      event: 'acked',
      missionId,
      runId,
      firstPosition: appendRunLog.firstPosition,
      texts: lines.map((line) => line.text),
    });
    await sleep(PACE_MS);
  }
  await must('reportRunUsage', USAGE, { run: runId });
  const finished = await retrying(FINISH, { run: runId, outcome: 'SUCCEEDED' });
  if (finished.code === 'CONFLICT') {
    // Finished already (the first attempt's answer was lost), or the claim ended: the run says.
    const { run } = await must('run', RUN, { run: runId });
    if (run.status !== 'SUCCEEDED') {
      throw new LostClaim('finishRun');
    }
  } else if (finished.code) {
    throw new Error(`finishRun: ${finished.code} ${finished.message}`);
  }
  await must('moveMission', DONE, { id: missionId });
  report({ event: 'completed', missionId, runId, epoch });
}

async function workLoop() {
  // Alive before asking for work, as an agent starting up is: one silent since it was activated
  // may be marked offline any moment, and that would end the claim it makes.
  await must('heartbeat', HEARTBEAT, {});
  // A failed heartbeat is only a missed one; the next goes out on time.
  setInterval(() => void call(HEARTBEAT, {}), HEARTBEAT_MS).unref();
  let taken = 0;
  while (taken < MISSIONS) {
    const { nextMission } = await must('nextMission', NEXT, {});
    if (!nextMission) {
      report({ event: 'idle' });
      await sleep(IDLE_MS);
      continue;
    }
    taken += 1;
    report({ event: 'claimed', missionId: nextMission.id, epoch: nextMission.claimEpoch });
    try {
      await work(nextMission.id, nextMission.claimEpoch);
    } catch (error) {
      if (!(error instanceof LostClaim)) {
        throw error;
      }
      report({ event: 'lost', missionId: nextMission.id, at: error.message });
    }
  }
}

async function lateWrites() {
  const { MISSION_ID, RUN_ID } = process.env;
  const attempts = [
    ['appendRunLog', APPEND, { run: RUN_ID, lines: [{ text: `${NAME} wakes up late` }] }],
    ['finishRun', FINISH, { run: RUN_ID, outcome: 'SUCCEEDED' }],
    ['renewLease', RENEW, { id: MISSION_ID }],
  ];
  for (const [op, query, variables] of attempts) {
    const result = await retrying(query, variables);
    report({ event: 'late', op, code: result.code ?? 'OK' });
  }
}

(MODE === 'late' ? lateWrites() : workLoop()).then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${error.stack ?? error}\n`);
    process.exit(1);
  },
);
