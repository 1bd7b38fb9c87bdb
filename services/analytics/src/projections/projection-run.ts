import type { Prisma } from '../generated/prisma/client';
import type { MetricPoint } from '../metrics/metric-points';
import type { VersionedDocument } from '../search/elasticsearch-search-index';
import type { AgentState } from './agent-state';
import type { CommentState, MissionState } from './mission-state';
import { claimKey, type ClaimState, type RunState } from './run-state';

/**
 * One run of events (up to a hundred, one transaction): the state they read and changed, kept
 * here so each stream is read once per run and written back in one statement per table, and
 * the documents and points they produce, written in one request per engine before the commit.
 */
export class ProjectionRun {
  private readonly documents = new Map<string, VersionedDocument>();
  private readonly metricPoints: MetricPoint[] = [];
  private readonly missionStates = new Map<string, MissionState | null>();
  private readonly changedMissions = new Set<string>();
  private readonly missionComments = new Map<string, CommentState[]>();
  private readonly addedComments: CommentState[] = [];
  private readonly agentStates = new Map<string, AgentState | null>();
  private readonly changedAgents = new Set<string>();
  private readonly runStates = new Map<string, RunState | null>();
  private readonly changedRuns = new Set<string>();
  private readonly claimStates = new Map<string, ClaimState | null>();
  private readonly changedClaims = new Set<string>();
  private handled = 0;

  constructor(readonly consumer: string) {}

  /** Counts an event handled in this run (redeliveries the inbox skipped are not). */
  noteHandled(): void {
    this.handled += 1;
  }

  get handledEvents(): number {
    return this.handled;
  }

  /** Keeps the newest version of each document: older ones would be refused anyway. */
  index(document: VersionedDocument): void {
    const pending = this.documents.get(document.id);
    if (!pending || pending.version <= document.version) {
      this.documents.set(document.id, document);
    }
  }

  point(...points: MetricPoint[]): void {
    this.metricPoints.push(...points);
  }

  /** undefined: not read in this run yet. */
  mission(missionId: string): MissionState | null | undefined {
    return this.missionStates.get(missionId);
  }

  rememberMission(missionId: string, state: MissionState | null): void {
    this.missionStates.set(missionId, state);
  }

  changeMission(state: MissionState): void {
    this.missionStates.set(state.missionId, state);
    this.changedMissions.add(state.missionId);
  }

  /** undefined: not read in this run yet. */
  comments(missionId: string): CommentState[] | undefined {
    return this.missionComments.get(missionId);
  }

  /** The stored comments of a mission, with those this run added and has not stored yet. */
  rememberComments(missionId: string, stored: CommentState[]): CommentState[] {
    const known = new Set(stored.map((comment) => comment.commentId));
    const all = [
      ...stored,
      ...this.addedComments.filter(
        (comment) => comment.missionId === missionId && !known.has(comment.commentId),
      ),
    ];
    this.missionComments.set(missionId, all);
    return all;
  }

  addComment(comment: CommentState): void {
    this.addedComments.push(comment);
    this.missionComments.get(comment.missionId)?.push(comment);
  }

  /** undefined: not read in this run yet. */
  agent(agentId: string): AgentState | null | undefined {
    return this.agentStates.get(agentId);
  }

  rememberAgent(agentId: string, state: AgentState | null): void {
    this.agentStates.set(agentId, state);
  }

  changeAgent(state: AgentState): void {
    this.agentStates.set(state.agentId, state);
    this.changedAgents.add(state.agentId);
  }

  /** undefined: not read in this run yet. */
  run(runId: string): RunState | null | undefined {
    return this.runStates.get(runId);
  }

  rememberRun(runId: string, state: RunState | null): void {
    this.runStates.set(runId, state);
  }

  changeRun(state: RunState): void {
    this.runStates.set(state.runId, state);
    this.changedRuns.add(state.runId);
  }

  /** undefined: not read in this run yet. */
  claim(missionId: string, epoch: number): ClaimState | null | undefined {
    return this.claimStates.get(claimKey(missionId, epoch));
  }

  rememberClaim(missionId: string, epoch: number, state: ClaimState | null): void {
    this.claimStates.set(claimKey(missionId, epoch), state);
  }

  changeClaim(state: ClaimState): void {
    const key = claimKey(state.missionId, state.epoch);
    this.claimStates.set(key, state);
    this.changedClaims.add(key);
  }

  get pendingDocuments(): VersionedDocument[] {
    return [...this.documents.values()];
  }

  get pendingPoints(): MetricPoint[] {
    return [...this.metricPoints];
  }

  get changedMissionStates(): MissionState[] {
    return [...this.changedMissions].flatMap((id) => this.missionStates.get(id) ?? []);
  }

  get addedCommentStates(): CommentState[] {
    return [...this.addedComments];
  }

  get changedAgentStates(): AgentState[] {
    return [...this.changedAgents].flatMap((id) => this.agentStates.get(id) ?? []);
  }

  get changedRunStates(): RunState[] {
    return [...this.changedRuns].flatMap((id) => this.runStates.get(id) ?? []);
  }

  get changedClaimStates(): ClaimState[] {
    return [...this.changedClaims].flatMap((key) => this.claimStates.get(key) ?? []);
  }
}

/** The transaction a projection handler runs in. */
export type ProjectionTx = { db: Prisma.TransactionClient; run: ProjectionRun };
