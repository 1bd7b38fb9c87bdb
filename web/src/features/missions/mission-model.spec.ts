import { describeTimelineEntry, type Directory, htmlAsText } from './mission-model';

const directory: Directory = {
  users: new Map([['u1', 'Ada']]),
  agents: new Map([['a1', 'Scout']]),
};

const entry = (
  type: string,
  data: Record<string, unknown>,
  actorKind = 'user',
  actorId = 'u1',
) => ({
  type,
  data,
  actorKind,
  actorId,
});

describe('describeTimelineEntry', () => {
  it('says who did what, with names rather than ids', () => {
    expect(
      describeTimelineEntry(entry('mission.v1.MissionCreated', { title: 'x' }), directory),
    ).toBe('Ada created it');
    expect(
      describeTimelineEntry(
        entry('mission.v1.MissionMoved', {
          fromColumn: 'BOARD_COLUMN_TODO',
          toColumn: 'BOARD_COLUMN_REVIEW',
        }),
        directory,
      ),
    ).toBe('Ada moved it to Review');
    expect(
      describeTimelineEntry(entry('mission.v1.MissionAssigned', { agentId: 'a1' }), directory),
    ).toBe('Ada assigned it to Scout');
    expect(describeTimelineEntry(entry('mission.v1.MissionAssigned', {}), directory)).toBe(
      'Ada unassigned it',
    );
    expect(
      describeTimelineEntry(
        entry('mission.v1.MissionClaimed', { agentId: 'a1' }, 'agent', 'a1'),
        directory,
      ),
    ).toBe('Scout claimed it');
  });

  it('tells of blockers added and removed, and of the mission becoming ready', () => {
    expect(describeTimelineEntry(entry('mission.v1.MissionDependencyAdded', {}), directory)).toBe(
      'Ada added a blocker',
    );
    expect(describeTimelineEntry(entry('mission.v1.MissionDependencyRemoved', {}), directory)).toBe(
      'Ada removed a blocker',
    );
    expect(describeTimelineEntry(entry('mission.v1.MissionBecameReady', {}), directory)).toBe(
      'Nothing blocks it any more: it is ready',
    );
  });

  it('says why a claim ended', () => {
    const system = (reason: string) =>
      describeTimelineEntry(
        entry('mission.v1.MissionReleased', { agentId: 'a1', reason }, 'system', 'mission-leases'),
        directory,
      );
    expect(system('lease_expired')).toBe(
      'Scout’s claim lapsed (no sign of life); it is back in the queue',
    );
    expect(system('agent_offline')).toBe('Scout went offline; it is back in the queue');
    expect(system('released')).toBe('Scout gave it back');
    expect(
      describeTimelineEntry(
        entry(
          'mission.v1.MissionReleased',
          { agentId: 'a1', reason: 'agent_offline', toColumn: 'BOARD_COLUMN_BLOCKED' },
          'system',
          'mission-leases',
        ),
        directory,
      ),
    ).toBe('Scout went offline; it went to Blocked for a person to look at');
  });

  it('reads the lower-case values stored timelines carry', () => {
    expect(
      describeTimelineEntry(
        entry('mission.v1.MissionMoved', { fromColumn: 'todo', toColumn: 'in_progress' }),
        directory,
      ),
    ).toBe('Ada moved it to In progress');
    expect(
      describeTimelineEntry(entry('mission.v1.MissionCreated', { column: 'review' }), directory),
    ).toBe('Ada created it in Review');
  });

  it('tells a reorder from a move', () => {
    expect(
      describeTimelineEntry(
        entry('mission.v1.MissionMoved', {
          fromColumn: 'BOARD_COLUMN_TODO',
          toColumn: 'BOARD_COLUMN_TODO',
        }),
        directory,
      ),
    ).toBe('Ada reordered it within To do');
  });

  it('falls back to readable words for unknown people and event types', () => {
    expect(
      describeTimelineEntry(entry('mission.v1.MissionArchived', {}, 'user', 'u9'), directory),
    ).toBe('Someone: mission archived');
  });
});

describe('htmlAsText', () => {
  it('turns raw HTML nodes into text nodes, everywhere in the tree', () => {
    const tree = {
      type: 'root',
      children: [
        { type: 'html', value: '<script>alert(1)</script>' },
        {
          type: 'list',
          children: [{ type: 'paragraph', children: [{ type: 'html', value: '<b>' }] }],
        },
      ],
    };
    htmlAsText()(tree);
    expect(JSON.stringify(tree)).not.toContain('"html"');
    expect(tree.children[0]).toEqual({ type: 'text', value: '<script>alert(1)</script>' });
  });
});
